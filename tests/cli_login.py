"""Every command logs in where a database has accounts (DESIGN §6): helpers for tests that drive
the CLI in-process against databases that gain accounts (and encryption) as they go."""

from __future__ import annotations

from pathlib import Path

from growthdesk.db import is_encrypted, open_database
from growthdesk.security import open_waiting_workstation, unlock_database, waiting_for_accounts


def has_accounts(path: Path) -> bool:
    from growthdesk.services.views import user_count

    if is_encrypted(Path(path)):
        return not waiting_for_accounts(path)  # a new workstation is encrypted before its accounts arrive
    with open_database(path) as db, db.session() as s:
        return user_count(s) > 0


def login_args(path: Path, login: str) -> list[str]:
    """``--user login`` where the database has accounts, nothing where it has none yet."""
    return ["--user", login] if has_accounts(path) else []


def open_as(path: Path, login: str, password: str):
    """The database opened as a user would: a login where it is encrypted (a workstation still
    waiting for its accounts: with its enrollment secret, as its sync rounds open it)."""
    if waiting_for_accounts(path):
        return open_waiting_workstation(path)
    return unlock_database(path, login, password) if is_encrypted(Path(path)) else open_database(path)
