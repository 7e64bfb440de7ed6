"""Errors that reach users: each says what is wrong and where, in Chinese and in English.

The UI shows ``message(lang)``; the CLI prints ``str(err)`` (Chinese first, English after) as
its one-line reason. ``field``/``value``/``row``/``column`` let a form or a report point at the
exact place of the mistake.
"""

from __future__ import annotations

from typing import Any


class GrowthDeskError(Exception):
    """Base of every error that is meant for a person, not a traceback."""

    def __init__(self, zh: str, en: str, *, field: str | None = None, value: Any = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.zh = zh
        self.en = en
        self.field = field
        self.value = value
        self.row = row
        self.column = column
        super().__init__(self._render(zh, en))

    def _where(self, lang: str) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"第 {self.row} 行" if lang == "zh" else f"row {self.row}")
        if self.column:
            parts.append(f"“{self.column}”列" if lang == "zh" else f"column '{self.column}'")
        if not parts:
            return ""
        return ("，".join(parts) + "：") if lang == "zh" else (", ".join(parts) + ": ")

    def message(self, lang: str = "zh_CN") -> str:
        zh = lang.startswith("zh")
        return self._where("zh" if zh else "en") + (self.zh if zh else self.en)

    def _render(self, zh: str, en: str) -> str:
        return f"{self._where('zh')}{zh} ({self._where('en')}{en})"

    def to_dict(self) -> dict[str, Any]:
        return {"zh": self.zh, "en": self.en, "field": self.field,
                "value": None if self.value is None else str(self.value),
                "row": self.row, "column": self.column}


class ValidationError(GrowthDeskError):
    """A value a user gave is not acceptable. Always names the field."""


class NotFoundError(GrowthDeskError):
    """A record, term, class or student asked for does not exist."""


class DatabaseError(GrowthDeskError):
    """The database file is not ours, is newer than the app, is locked or is damaged."""


class PermissionDenied(GrowthDeskError):
    """The logged-in user's role does not allow this action."""
