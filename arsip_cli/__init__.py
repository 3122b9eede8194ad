"""The ``arsip`` command line and the retrieval evaluation: the layer above ``indexer`` and ``searchapp``.

Nothing in ``arsip``, ``indexer`` or ``searchapp`` imports from here (checked by import-linter).
"""
