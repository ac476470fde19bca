"""Pages: the page catalog and content/*.md in, sandboxed macro renders, source maps and expected anchors out."""
