"""Your data, portable: export every memory, import other tools' exports, purge for real.

- :mod:`~assistant.transfer.export`: ``json``, ``jsonl`` and ``markdown`` exports that
  ``import`` reads back exactly.
- :mod:`~assistant.transfer.importer`: this project's exports, mem0's, ChatGPT's and
  Claude's data exports, and folders of markdown notes (:mod:`~assistant.transfer.formats`).
- :mod:`~assistant.transfer.purge`: a memory removed from everywhere it was written.
"""
