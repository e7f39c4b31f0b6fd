"""The store: every read and write of portfolio rows, one mapping per table.

The single edit and the 100,000-row bulk path use the same mapping; facts are built by
field name. Chunking (SQLite's limit on bound parameters), dialect differences and the
driver-level fast paths live here and nowhere else. Services call these; the store
holds no use case.
"""

from sqlalchemy.orm import Session

# The unit of work a use case receives and hands on to the store's functions. Use cases
# name it for their signatures and never look inside: every statement is written here.
__all__ = ["Session"]
