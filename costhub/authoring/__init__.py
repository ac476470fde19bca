"""Editor tools that write into content/ and data/: new pages and records, checked before anything is written."""
