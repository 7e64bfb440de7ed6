"""Dates as teachers type them: 2025-11-20, 2025/11/20, 2025.11.20, 2025年11月20日, 20251120,
2025-1-5, full-width digits, and 11月20日 / 11-20 (this year). ``parse_date`` returns a ``date``
or None when the text is not a date (the caller words the error for its field)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MD = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")


def parse_date(text, today: date | None = None) -> date | None:
    s = unicodedata.normalize("NFKC", str(text or "")).strip()  # ２０２５／１１／２０ → 2025/11/20
    if not s:
        return None
    for pattern, build in ((_YMD, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
                           (_COMPACT, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
                           (_MD, lambda m: ((today or date.today()).year, int(m[1]), int(m[2])))):
        m = pattern.fullmatch(s)
        if m:
            try:
                return date(*build(m))
            except ValueError:  # 2025-02-30
                return None
    return None
