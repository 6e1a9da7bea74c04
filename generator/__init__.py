"""Rheum Evidence: turn YAML study files into a static MkDocs site.

The pipeline, one module per step: :mod:`~generator.read.loader` reads files,
:mod:`~generator.read.validate` and :mod:`~generator.read.model` check them,
:mod:`~generator.read.content` assembles the validated site, the derive modules
compute what readers see beyond the files, :mod:`~generator.render.templates` turns it
into pages and :mod:`~generator.publish.plugin` hands them to MkDocs.
"""
