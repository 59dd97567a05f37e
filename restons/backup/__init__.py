"""Backup: everything a user owns, out as one versioned JSON document and back in.

- :mod:`restons.backup.tables` decides *what* is in a backup: every model of the
  ``restons`` app with an ``owner``, minus an explicit, tested list of derived
  tables and secret fields; it also computes a content digest of each table
  (ids replaced by what they point to) to compare two instances.
- :mod:`restons.backup.dump` writes the document, table by table, as it reads.
- :mod:`restons.backup.load` reads it back with a streaming parser into an
  empty user, all or nothing.

The format is documented in ``docs/backup.md``.
"""

FORMAT = "restons-backup"
VERSION = 1
