"""Checks: rendered pages in, broken links, anchors, URL rule breaks and dead external addresses out as content errors."""
