"""Rheum Evidence: turn YAML study files into a static MkDocs site.

The sub-packages are the pipeline, each importing only from those before it:

- :mod:`generator.read`: the files editors write, parsed with positions and
  checked against the contract, as records;
- :mod:`generator.derive`: what follows from them, as plain data (related
  studies, effects, citations);
- :mod:`generator.render`: pages, charts, head and structured data, feeds,
  open data and the security policy, as text and bytes;
- :mod:`generator.publish`: the MkDocs plugin that hands them to MkDocs and
  publishes the built site.

:mod:`generator.pipeline` runs read, derive and render in one call;
:mod:`generator.cli` is the command line.
"""
