"""The indexer: read archives, clean, split, embed and bulk-write passages into Elasticsearch."""
