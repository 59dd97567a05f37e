"""The engine: pure functions over plain data and a ``today`` date.

Nothing here touches the database. ``restons.services.snapshot`` loads the
plain data in a fixed number of queries; the functions here decide due dates,
health, reasons, the Today list and drafts. Every rule is written down in
``docs/engine.md``.
"""
