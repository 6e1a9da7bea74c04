"""Publish: the MkDocs plugin, its settings, the files it hands MkDocs, search indexing and the atomic site folder."""
