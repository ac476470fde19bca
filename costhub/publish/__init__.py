"""Publish: the loaded site in, what ships beside the pages out (structured data for now)."""
