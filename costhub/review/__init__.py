"""Review dates: dated records and pages in, freshness statuses, citations, the review book and review.json out."""
