"""The store: every read and write of portfolio rows, one mapping per table.

The single edit and the 100,000-row bulk path use the same mapping; facts are built by
field name. Chunking (SQLite's limit on bound parameters), dialect differences and the
driver-level fast paths live here and nowhere else. Services call these; the store
holds no use case.
"""
