"""Persistence: SQLite system of record, Chroma vector index, knowledge-graph tables.

Knows the records in `zenbrain.models`; never imports layers, recall, consolidation or `Brain`.
"""
