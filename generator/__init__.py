"""Rheum Evidence: turn YAML study files into a static MkDocs site.

The pipeline, one module per step: :mod:`~generator.loader` reads files,
:mod:`~generator.validate` and :mod:`~generator.model` check them,
:mod:`~generator.content` assembles the validated site, the derive modules
compute what readers see beyond the files, :mod:`~generator.render` turns it
into pages and :mod:`~generator.plugin` hands them to MkDocs.
"""
