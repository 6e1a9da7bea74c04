"""Publish: the MkDocs plugin, its settings, the files it hands MkDocs, a preview's state, the pages' policy,
search indexing and the atomic site folder."""
