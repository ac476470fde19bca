"""Text helpers that know nothing of the project: Markdown sources in, front matter, shielded code and HTML scans out."""
