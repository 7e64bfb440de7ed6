"""Keep students' names and ID numbers out of logs and crash reports.

``redact(text)`` replaces anything that looks like a 学籍号 (G/L + 18), a resident ID number
(18 digits, the last may be X) or a long digit run, and every run of Chinese characters (names
are Chinese; the report keeps its English and code), so a traceback can be copied into a bug
report or a log file without a child's data in it.
"""

from __future__ import annotations

import re

_ID = re.compile(r"(?<![0-9A-Za-z])[GLgl]?[0-9]{6,17}[0-9Xx]?(?![0-9A-Za-z])|(?<![0-9A-Za-z])[GLgl][0-9A-Za-z]{18}(?![0-9A-Za-z])")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def redact(text: str) -> str:
    text = _ID.sub("<number>", str(text or ""))
    return _CJK.sub("<…>", text)


__all__ = ["redact"]
