"""Pinyin search keys for student names: 张三 -> "zhangsan zs".

The student list filters by typing pinyin or its initials, so each student carries one
lower-case key holding both (``student.name_pinyin``). Surnames with a reading different
from the character's usual one (曾 zeng, 单 shan, 解 xie …) are read as surnames.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

# Surname readings pypinyin would get wrong as ordinary words. Two-character surnames first.
_SURNAMES = {
    "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"], "单于": ["chan", "yu"],
    "曾": ["zeng"], "单": ["shan"], "解": ["xie"], "仇": ["qiu"], "朴": ["piao"], "查": ["zha"],
    "区": ["ou"], "乐": ["yue"], "覃": ["qin"], "翟": ["zhai"], "盖": ["ge"], "缪": ["miao"],
    "召": ["shao"], "繁": ["po"], "员": ["yun"], "秘": ["bi"], "种": ["chong"], "朝": ["chao"],
    "於": ["yu"], "隗": ["wei"], "冼": ["xian"], "厍": ["she"], "适": ["kuo"], "过": ["guo"],
    "句": ["gou"], "华": ["hua"], "任": ["ren"], "宁": ["ning"], "沈": ["shen"], "石": ["shi"],
    "薄": ["bo"], "郇": ["huan"], "那": ["na"], "尉": ["yu"], "阚": ["kan"],
}
MAX_LEN = 100


def _syllables(name: str) -> list[str]:
    for size in (2, 1):
        head = name[:size]
        if len(name) > size and head in _SURNAMES:
            return _SURNAMES[head] + lazy_pinyin(name[size:], errors="ignore")
    return lazy_pinyin(name, errors="ignore")


def _is_han(ch: str) -> bool:
    # Other symbols (the · in 迪丽热巴·迪力木拉提) are dropped: they have no pinyin.
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """``"zhangsan zs"``: full pinyin without tones, a space, then the initials.

    Non-Chinese characters are kept (lower-cased, spaces dropped) so "Anna李" still matches.
    """
    name = "".join((name or "").split())
    if not name:
        return ""
    out: list[str] = []
    ascii_run = ""
    for ch in name:  # keep Latin letters/digits, group the Chinese part for pinyin
        if ch.isascii():
            if ch.isalnum():
                ascii_run += ch.lower()
        elif _is_han(ch):
            if ascii_run:
                out.append(ascii_run)
                ascii_run = ""
            out.append(ch)
    if ascii_run:
        out.append(ascii_run)
    chinese = "".join(p for p in out if not p.isascii())
    syllables = _syllables(chinese) if chinese else []
    full, initials, it = [], [], iter(syllables)
    for part in out:
        if part.isascii():
            full.append(part)
            initials.append(part[0])
        else:
            syl = next(it, "")
            full.append(syl)
            initials.append(syl[:1])
    return f"{''.join(full)} {''.join(initials)}"[:MAX_LEN]


__all__ = ["name_pinyin"]
