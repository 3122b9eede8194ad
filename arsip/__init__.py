"""arsip: a searchable full-text archive with semantic search (core: settings, engine, model)."""

__version__ = "0.1.0"
