"""Media API Cost Hub core, independent of MkDocs: one package per stage of the data flow (see README, "How the code is laid out")."""
