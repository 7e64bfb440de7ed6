"""Pinyin search keys for student names: 张三 -> "zhangsan zs".

The student list filters by typing pinyin or its initials, so each student carries one
lower-case key holding both (``student.name_pinyin``). Surnames with a reading different
from the character's usual one (曾 zeng, 单 shan, 解 xie …) are read as surnames.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

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
            return _SURNAMES[head] + lazy_pinyin(name[size:])
    return lazy_pinyin(name)


# ---------------------------------------------------------------- pypinyin, without its load time
#
# ``pypinyin.lazy_pinyin`` needs its phrase dictionary, 47,000 entries of nested lists that take
# 0.3 s to load (most of a roster import's pinyin cost, and a pause the first time a teacher
# adds a student). Its answer for a name depends only on (1) which words its segmenter cuts the
# text into (forward maximum matching over the phrase list, strict mode: a word is a whole
# phrase or one character) and (2) the reading of each such word. Both are kept here as plain
# strings: every phrase's and every character's toneless reading *as pypinyin itself gives it*,
# computed once from the installed pypinyin and cached in the per-user cache folder (0.02 s to load).
# ``lazy_pinyin`` below repeats pypinyin's segmentation step by step; a test compares the two
# on every phrase and on thousands of names. Anything unusual (no cache possible) uses pypinyin.

_TABLE_FORMAT = 1
_tables: tuple | None = None


def _pypinyin_key() -> str | None:
    """What the cached table was made from: the installed pypinyin's dictionary files."""
    if getattr(sys, "frozen", False):
        from .. import __version__
        return f"frozen-{__version__}"
    import importlib.util
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.origin or not os.path.isfile(spec.origin):
        return None
    folder = Path(spec.origin).parent
    parts = []
    for name in ("phrases_dict.py", "pinyin_dict.py", "__init__.py"):
        st = (folder / name).stat()
        parts.append(f"{st.st_size}-{st.st_mtime_ns}")
    return "-".join(parts)


def _table_path(key: str) -> Path:
    import hashlib
    return _cache_dir() / f"pinyin-{_TABLE_FORMAT}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"


def build_tables() -> tuple[str, dict[str, str], dict[str, str]]:
    """From the installed pypinyin: its pattern of characters that have pinyin, each phrase's
    toneless syllables (space-separated) and each character's, as ``lazy_pinyin`` gives them
    for the phrase or character on its own (a phrase alone is cut as one word). Its style
    conversion works syllable by syllable, so each distinct syllable is converted once (1 s
    less than a ``lazy_pinyin`` call per entry); a sample is checked against ``lazy_pinyin``
    itself and the slow way taken if one differs (tests compare every entry)."""
    import random

    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin
    # What pypinyin.lazy_pinyin(text, errors="ignore") builds on every call (its defaults).
    converter = UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
    real = Pinyin(converter).lazy_pinyin
    memo: dict[str, str] = {}

    def plain(han: str, syllable: str) -> str:
        out = memo.get(syllable)
        if out is None:
            out = memo[syllable] = converter.convert_style(han, orig_pinyin=syllable, style=Style.NORMAL, strict=True)
        return out

    phrases = {p: " ".join(s for s in (plain(h, r[0]) for h, r in zip(p, readings)) if s)
               for p, readings in PHRASES_DICT.items() if len(readings) == len(p)}
    for p in PHRASES_DICT.keys() - phrases.keys():  # readings not one per character: as pypinyin does it
        phrases[p] = " ".join(real(p, errors="ignore"))
    chars = {}
    for code, readings in PINYIN_DICT.items():
        syl = plain(chr(code), readings.split(",")[0])
        if syl:
            chars[chr(code)] = syl
    sample = random.Random(17).sample(sorted(phrases), min(500, len(phrases)))
    sample_chars = random.Random(17).sample(sorted(chars), min(500, len(chars)))
    if any(phrases[p] != " ".join(real(p, errors="ignore")) for p in sample) or \
            any([chars[c]] != real(c, errors="ignore") for c in sample_chars):
        phrases = {p: " ".join(real(p, errors="ignore")) for p in PHRASES_DICT}
        chars = {chr(code): s[0] for code in PINYIN_DICT if (s := real(chr(code), errors="ignore"))}
    return RE_HANS.pattern, phrases, chars


def _cache_dir() -> Path:
    """Derived from the installed pypinyin, not anyone's data: one per user, whatever
    ``GROWTHDESK_HOME`` says (tests with a fresh data folder each share it)."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home()) / "GrowthDesk" / "cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "growthdesk"
    return base


def _load_tables() -> tuple | None:
    global _tables
    if _tables is not None:
        return _tables or None
    try:
        key = _pypinyin_key()
        if key is None:
            raise OSError("no key")
        path = _table_path(key)
        try:
            fmt, stored_key, pattern, phrases, chars, partial = marshal.loads(path.read_bytes())
            if fmt != _TABLE_FORMAT or stored_key != key or not (
                    isinstance(pattern, str) and isinstance(phrases, dict) and isinstance(chars, dict)
                    and isinstance(partial, frozenset)):
                raise ValueError("stale")
        except (OSError, ValueError, EOFError, TypeError):
            pattern, phrases, chars = build_tables()
            # The segmenter's prefix set is the phrases plus their proper prefixes; only the
            # latter are stored (half the size, no set to build at load).
            partial = frozenset({p[:i] for p in phrases for i in range(1, len(p))} - phrases.keys())
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((_TABLE_FORMAT, key, pattern, phrases, chars, partial)))
            os.replace(tmp, path)
        runs = re.compile(pattern.removeprefix("^").removesuffix("$"))
        _tables = (runs, partial, phrases, chars)
    except Exception:  # noqa: BLE001 - a read-only data folder, an odd install: pypinyin itself
        _tables = False
        return None
    return _tables


def _cut(text: str, partial: frozenset, phrases: dict) -> list[str]:
    """``pypinyin.seg.mmseg.seg.cut`` (strict mode, as ``lazy_pinyin`` uses it), step by step;
    its prefix set is ``phrases`` and ``partial`` (their proper prefixes)."""
    out = []
    remain = text
    while remain:
        last_valid_word, last_valid_index = "", 0
        for index in range(len(remain)):
            word = remain[:index + 1]
            if word in phrases:
                last_valid_word, last_valid_index = word, index + 1
            elif word in partial:
                pass
            else:
                if last_valid_word:
                    out.append(last_valid_word)
                    remain = remain[last_valid_index:]
                else:
                    out.append(remain[0])
                    remain = remain[1:]
                break
        else:
            if last_valid_word:
                out.append(last_valid_word)
                remain = remain[last_valid_index:]
            else:
                if remain not in phrases:
                    out.extend(remain)
                else:
                    out.append(remain)
                break
    return out


def lazy_pinyin(text: str) -> list[str]:
    """``pypinyin.lazy_pinyin(text, errors="ignore")``: toneless syllables, characters without
    pinyin left out."""
    tables = _load_tables()
    if tables is None:
        from pypinyin import lazy_pinyin as real
        return real(text, errors="ignore")
    runs, partial, phrases, chars = tables
    out: list[str] = []
    for m in runs.finditer(text):  # pypinyin's simple_seg: runs of characters that have pinyin
        for word in _cut(m.group(0), partial, phrases):
            reading = phrases.get(word)
            if reading is not None:
                out.extend(reading.split(" ") if reading else [])
            else:
                out.extend(chars[c] for c in word if c in chars)
    return out


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
