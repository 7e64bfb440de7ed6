"""Qt-free use cases: create, edit and delete every kind of record, with validation.

Every function takes an SQLAlchemy ``Session`` from ``Database.session(user=login)`` first,
validates its input completely *before* adding anything (so a caught error leaves the session
clean), raises ``ValidationError``/``NotFoundError`` with Chinese and English text and ``field``
set, and returns model objects. Stamping (usn, audit log) is done by ``growthdesk.tracking``.
Deleting means ``deleted=True``; every query here ignores deleted rows.
"""
