"""Rules every stored value obeys, whoever writes it: an edit in the app, a roster import, or a
bundle imported at the district (issue 13: "one validation for both sides").

Each rule takes the value as text (what a form field or a bundle cell holds) and raises
``RuleError(zh, en)`` saying why not; the caller adds where (field, row, column). The service
validators call them for what a person types; ``sync.rows.row_checker`` runs them over every
imported row, by column name, so a bundle can carry nothing the app itself would refuse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

# Control characters other than tab, line feed and carriage return (NUL included): invisible,
# break CSV/Excel/PDF output, and no keyboard types them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Record ids are UUIDs made by the app; refusing anything outside this alphabet keeps ids usable
# as file names and in URLs (no "/", "\\", "..", spaces).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:-]{0,63}")
_TERM = re.compile(r"(\d{4})-(\d{4})-(\d)")
MIN_BIRTH_YEAR = 1900
FIRST_SCHOOL_YEAR = 2000
MAX_LEVELS_JSON_KEYS = 64


class RuleError(ValueError):
    """A value breaks a rule; ``zh``/``en`` say why (the caller says where)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _short(v: str) -> str:
    v = CONTROL.sub("?", v)
    return v if len(v) <= 40 else v[:40] + "…"


def check_text(v: str) -> str:
    m = CONTROL.search(v)
    if m:
        ch = m.group(0)
        raise RuleError(f"含有不可见的控制字符（U+{ord(ch):04X}，第 {m.start() + 1} 个字符）",
                        f"contains an invisible control character (U+{ord(ch):04X} at character {m.start() + 1})")
    return v


def check_id(v: str) -> str:
    if v and not _ID.fullmatch(v):
        raise RuleError(f"编号格式无效：“{_short(v)}”", f"invalid record id {_short(v)!r}")
    return v


def latest_school_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 8 else today.year - 1


def check_term_code(v: str, today: date | None = None) -> str:
    """A term code that names a real term: 2000-2001-1 … the next school year's."""
    if v == "":
        return v
    if today is None:  # a bundle holds a few terms over and over: each is judged once a day
        why = _term_problem(v, date.today())
        if why:
            raise RuleError(*why)
        return v
    why = _term_problem.__wrapped__(v, today)
    if why:
        raise RuleError(*why)
    return v


@lru_cache(maxsize=512)
def _term_problem(v: str, today: date) -> tuple[str, str] | None:
    m = _TERM.fullmatch(v)
    if not m or int(m.group(2)) != int(m.group(1)) + 1 or m.group(3) not in ("1", "2"):
        return (f"学期代码无效：“{_short(v)}”（应为 2025-2026-1 或 2025-2026-2）",
                f"invalid term code {_short(v)!r} (expected e.g. 2025-2026-1 or 2025-2026-2)")
    year, last = int(m.group(1)), latest_school_year(today) + 1
    if not FIRST_SCHOOL_YEAR <= year <= last:
        return (f"学期 {v} 超出范围（{FIRST_SCHOOL_YEAR} 至 {last}-{last + 1} 学年）",
                f"term {v} is out of range (school years {FIRST_SCHOOL_YEAR} to {last}-{last + 1})")
    return None


def check_birth_date(v: str | date, today: date | None = None) -> str | date:
    """Not in the future and not before 1900 (the app adds an age check when a pupil is entered)."""
    if v == "" or v is None:
        return v
    d = v if isinstance(v, date) else date.fromisoformat(v)
    today = today or date.today()
    if d > today or d.year < MIN_BIRTH_YEAR:
        raise RuleError(f"出生日期不合理：{d.isoformat()}（不能晚于今天，也不能早于 {MIN_BIRTH_YEAR} 年）",
                        f"implausible birth date {d.isoformat()} (not after today, not before {MIN_BIRTH_YEAR})")
    return v


def check_levels_json(v: str) -> str:
    """A term evaluation's levels: a JSON object of dimension code → level letter (both text)."""
    try:
        doc = json.loads(v)
    except (json.JSONDecodeError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or len(doc) > MAX_LEVELS_JSON_KEYS or not all(
            isinstance(k, str) and isinstance(x, str) and len(k) <= 32 and len(x) <= 8 and not CONTROL.search(k + x)
            for k, x in doc.items()):
        raise RuleError(f"各维度等级不是有效的 JSON 对象：“{_short(v)}”",
                        f"the levels are not a valid JSON object of dimension → level: {_short(v)!r}")
    return v


def check_score(v: str) -> str:
    try:
        f = float(v)
    except ValueError:
        f = float("nan")
    if not 0 <= f <= 100:
        raise RuleError(f"分数应在 0–100 之间：{_short(v)}", f"score must be between 0 and 100: {_short(v)}")
    return v


def column_rules(name: str, kind: str) -> list[Callable[[str], object]]:
    """The rules for a stored column, by its name and kind (text cells also get ``check_text``)."""
    rules: list[Callable[[str], object]] = []
    if kind == "str":
        rules.append(check_text)
        if name == "id" or name.endswith("_id"):
            rules.append(check_id)
        if name == "term_code":
            rules.append(check_term_code)
        if name == "levels_json":
            rules.append(check_levels_json)
    elif kind == "date" and name == "birth_date":
        rules.append(check_birth_date)
    elif kind == "float" and name == "score":
        rules.append(check_score)
    return rules


__all__ = ["RuleError", "CONTROL", "check_text", "check_id", "check_term_code", "check_birth_date",
           "check_levels_json", "check_score", "column_rules", "latest_school_year"]
