"""Find the header row of a sheet and map its columns to our fields.

Exports put a title ("2025学年初一年级学生名单") and notes above the header, and name the
same column in several ways (学籍号 / 全国学籍号 / 学生学籍号 …). The header is the first of
the top rows that names every *key* field; columns we do not know are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from .cleaning import clean_header

SCAN_ROWS = 30


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str          # the name our templates and messages use
    aliases: tuple[str, ...]
    required: bool = False


@dataclass
class Header:
    row: int                                # 1-based row number of the header in the sheet
    texts: tuple[str, ...]                  # header cells as written (for the report)
    index: dict[str, int] = field(default_factory=dict)   # field key -> 0-based column

    def label(self, key: str) -> str:
        """The column's header as the file writes it (what a person looks for)."""
        i = self.index.get(key)
        return str(self.texts[i]).strip() if i is not None and self.texts[i] is not None else key

    def get(self, values: tuple, key: str) -> Any:
        i = self.index.get(key)
        return values[i] if i is not None and i < len(values) else None


def _match(specs: list[Column], texts: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, raw in enumerate(texts):
        h = clean_header(raw)
        if not h:
            continue
        for spec in specs:
            if spec.key not in found and h in spec.aliases:
                found[spec.key] = i
                break
    return found


def find_header(rows: Iterator[tuple[int, tuple]], specs: list[Column], *, sheet: str = "",
                what_zh: str = "名单", what_en: str = "list") -> Header:
    """Read up to ``SCAN_ROWS`` rows looking for the header; ``rows`` then continues with the
    first row after it.

    No header found: a ValidationError that names the columns looked for and the best
    candidate row, so the person knows what to rename.
    """
    required = [s for s in specs if s.required]
    scanned = 0
    best: tuple[int, dict[str, int]] | None = None
    for r, values in rows:
        found = _match(specs, values)
        if all(s.key in found for s in required):
            return Header(row=r, texts=tuple(values), index=found)
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found)
        scanned += 1
        if scanned >= SCAN_ROWS:
            break
    names = "、".join(f"“{s.label_zh}”" for s in required)
    where = f"工作表“{sheet}”" if sheet else "文件"
    if best is None:
        raise ValidationError(
            f"在{where}的前 {SCAN_ROWS} 行中找不到表头：{what_zh}需要有 {names} 等列名",
            f"no header row found in the first {SCAN_ROWS} rows of {sheet or 'the file'}: the {what_en} needs "
            f"columns named {', '.join(s.label_zh for s in required)}", field="header", value=sheet)
    missing = [s for s in required if s.key not in best[1]]
    raise ValidationError(
        f"{where}第 {best[0]} 行像是表头，但缺少列：{'、'.join(s.label_zh for s in missing)}",
        f"row {best[0]} of {sheet or 'the file'} looks like the header but lacks the columns "
        f"{', '.join(s.label_zh for s in missing)}", field="header", row=best[0],
        column=missing[0].label_zh, value=sheet)
