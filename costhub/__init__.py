"""Media API Cost Hub core: data loading, validation and page rendering, independent of MkDocs."""
