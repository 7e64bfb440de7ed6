"""Turn bundle cells into database values, checking each one (type, length, vocabulary).

Converters are built once per table and database dialect. On SQLite the values are handed to
the driver in SQLAlchemy's own storage form (text timestamps, 0/1), skipping per-value Python
type processing: that is most of the difference between our import and raw ``executemany``.
On other databases they are Python objects, and the model's own table types apply.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Column, Integer, MetaData, String, Table

from ..services.rules import CONTROL, RuleError, check_term_code, check_text, column_rules
from .format import ColumnSpec, TableSpec

_INT = re.compile(r"-?\d{1,18}")
_FLOAT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


class CellError(ValueError):
    """A cell that is not acceptable; ``zh``/``en`` say why (the caller adds row and column)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _shorten(v: str) -> str:
    return v if len(v) <= 40 else v[:40] + "…"


def _too_long(v: str, limit: int) -> CellError:
    return CellError(f"内容过长（{len(v)} 字，最多 {limit} 字）", f"too long ({len(v)} characters, at most {limit})")


def _str(col: ColumnSpec) -> Callable[[str], object]:
    limit = col.max_len or 65_535
    nullable = col.nullable
    enum = col.enum
    if not nullable and enum is None:
        def plain(v: str):  # most columns: only the length to check
            if len(v) > limit:
                raise _too_long(v, limit)
            return v
        return plain

    def conv(v: str):
        if nullable and v == "":
            return None
        if len(v) > limit:
            raise CellError(f"内容过长（{len(v)} 字，最多 {limit} 字）", f"too long ({len(v)} characters, at most {limit})")
        if enum is not None and v not in enum:
            raise CellError(f"取值“{_shorten(v)}”无效；可选：{'、'.join(sorted(enum))}",
                            f"invalid value {_shorten(v)!r}; valid: {', '.join(sorted(enum))}")
        return v
    return conv


def _int(col: ColumnSpec):
    nullable = col.nullable

    def conv(v: str):
        if nullable and v == "":
            return None
        if not _INT.fullmatch(v):
            raise CellError(f"应为整数：“{_shorten(v)}”", f"an integer is expected, got {_shorten(v)!r}")
        return int(v)
    return conv


def _float(col: ColumnSpec):
    nullable = col.nullable

    def conv(v: str):
        if nullable and v == "":
            return None
        if not _FLOAT.fullmatch(v) or not math.isfinite(f := float(v)):
            raise CellError(f"应为数字：“{_shorten(v)}”", f"a number is expected, got {_shorten(v)!r}")
        return f
    return conv


def _bool(col: ColumnSpec, raw: bool):
    nullable = col.nullable
    table = {"0": 0, "1": 1} if raw else {"0": False, "1": True}

    def conv(v: str):
        if nullable and v == "":
            return None
        try:
            return table[v]
        except KeyError:
            raise CellError(f"应为 0 或 1：“{_shorten(v)}”", f"0 or 1 is expected, got {_shorten(v)!r}") from None
    return conv


def parse_date(v: str) -> date:
    if len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit() and v[5:7].isdigit() and v[8:].isdigit():
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise CellError(f"日期不存在：“{v}”", f"no such date: {v!r}") from None
    raise CellError(f"日期格式不对：“{_shorten(v)}”（应为 YYYY-MM-DD）", f"bad date {_shorten(v)!r} (YYYY-MM-DD expected)")


def parse_datetime(v: str) -> datetime:
    # The fixed shape by position (cheap), then the C parser checks digits and calendar; the
    # shape leaves no room for a zone, and a zone would be refused anyway.
    if (len(v) == 26 and v[10] == "T" and v[19] == "." and v[4] == "-" and v[7] == "-" and v[13] == ":"
            and v[16] == ":"):
        try:
            dt = datetime.fromisoformat(v)
        except ValueError:
            dt = None
        if dt is not None and dt.tzinfo is None:
            return dt
    raise CellError(f"时间格式不对或时间不存在：“{_shorten(v)}”（应为 YYYY-MM-DDTHH:MM:SS.ffffff，UTC）",
                    f"bad or impossible timestamp {_shorten(v)!r} (YYYY-MM-DDTHH:MM:SS.ffffff UTC expected)")


def _date(col: ColumnSpec, raw: bool):
    nullable = col.nullable

    def conv(v: str):
        if nullable and v == "":
            return None
        d = parse_date(v)
        return v if raw else d
    return conv


def _datetime(col: ColumnSpec, raw: bool):
    nullable = col.nullable

    def conv(v: str):
        if nullable and v == "":
            return None
        dt = parse_datetime(v)
        # SQLAlchemy's SQLite storage form: a space instead of "T", always microseconds.
        return f"{v[:10]} {v[11:]}" if raw else dt
    return conv


def converters(spec: TableSpec, raw: bool) -> list[Callable[[str], object]]:
    out = []
    for col in spec.columns:
        if col.kind == "int":
            out.append(_int(col))
        elif col.kind == "float":
            out.append(_float(col))
        elif col.kind == "bool":
            out.append(_bool(col, raw))
        elif col.kind == "date":
            out.append(_date(col, raw))
        elif col.kind == "datetime":
            out.append(_datetime(col, raw))
        else:
            out.append(_str(col))
    return out


class RuleBroken(CellError):
    """A cell converts but breaks a rule the app itself keeps (``services.rules``)."""

    def __init__(self, column: str, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.column = column


_REPEATING = {check_term_code}


def row_checker(spec: TableSpec) -> Callable[[list[str]], None]:
    """The app's own rules (``services.rules``) over one row's cells: no control characters in
    any text, ids that are ids, real term codes, plausible birth dates, levels that are JSON,
    scores 0–100. Raises ``RuleBroken`` naming the column. One regex pass covers the text cells
    of a row; the per-column rules run only on the few columns that have them."""
    text_cells = [i for i, c in enumerate(spec.columns) if c.kind == "str"]
    special = [(i, c.name, rule) for i, c in enumerate(spec.columns)
               for rule in column_rules(c.name, c.kind) if rule is not check_text]
    search = CONTROL.search
    passed: set[str] = set()  # values of few-valued columns (terms) already found good
    pick = __import__("operator").itemgetter(*text_cells) if len(text_cells) > 1 else None

    def check(cells: list[str]) -> None:
        if search("".join(pick(cells)) if pick is not None else "".join([cells[i] for i in text_cells])):
            for i in text_cells:
                try:
                    check_text(cells[i])
                except RuleError as exc:
                    raise RuleBroken(spec.columns[i].name, exc.zh, exc.en) from None
        for i, name, rule in special:
            v = cells[i]
            if v and v not in passed:
                try:
                    rule(v)
                except (RuleError, ValueError) as exc:
                    raise RuleBroken(name, getattr(exc, "zh", str(exc)), getattr(exc, "en", str(exc))) from None
                if rule in _REPEATING:
                    passed.add(v)
    return check


_RAW_TABLES: dict[tuple, Table] = {}
_CONVERTER_CODE: dict[str, object] = {}


def raw_table(spec: TableSpec) -> Table:
    """The table with type-less columns (values pass to the driver as they are). One Table per
    shape, kept: a hub's round imports every table of 30 bundles, and a new Table each time
    cost a second of CPU and every statement's compiled-SQL cache entry."""
    shape = (spec.name, tuple((c.name, c.kind in ("int", "bool")) for c in spec.columns))
    table = _RAW_TABLES.get(shape)
    if table is None:
        cols = [Column(c.name, Integer if c.kind in ("int", "bool") else String) for c in spec.columns]
        table = _RAW_TABLES[shape] = Table(spec.name, MetaData(), *cols, Column("usn", Integer),
                                           Column("deleted", Integer))
    return table


def row_converter(spec: TableSpec, raw: bool, school_code: str | None = None, tail: tuple = ()) -> Callable:
    """One function per table that converts a whole row into the tuple to insert (``tail``
    appended), with the text, date and timestamp checks written inline: a Python call per cell
    would cost more than the insert itself. With ``school_code`` it also refuses a row of another
    school or with an empty id. It raises a bare ``CellError``; the caller then looks cell by
    cell for the reason to report."""
    convs = converters(spec, raw)
    env: dict = {"CellError": CellError, "dt_iso": datetime.fromisoformat, "d_iso": date.fromisoformat,
                 "SCHOOL": school_code}
    lines, out = [], []
    if school_code is not None:
        lines.append(f"if c{spec.names.index('school_code')} != SCHOOL or c0 == '': raise CellError('', '')")
    for i, (col, conv) in enumerate(zip(spec.columns, convs)):
        c = f"c{i}"
        guard = f"{c} != '' and " if col.nullable else ""
        if col.kind == "str":
            lines.append(f"if len({c}) > {col.max_len or 65_535}: raise CellError('', '')")
            if col.enum is not None:
                env[f"e{i}"] = col.enum
                lines.append(f"if {guard}{c} not in e{i}: raise CellError('', '')")
            out.append(f"({c} or None)" if col.nullable else c)
        elif col.kind == "datetime":
            shape = (f"len({c}) == 26 and {c}[10] == 'T' and {c}[19] == '.' and {c}[4] == '-' and {c}[7] == '-' "
                     f"and {c}[13] == ':' and {c}[16] == ':'")
            lines.append(f"if {guard}not ({shape} and dt_iso({c}).tzinfo is None): raise CellError('', '')")
            value = f"{c}[:10] + ' ' + {c}[11:]" if raw else f"dt_iso({c})"
            out.append(f"(None if {c} == '' else {value})" if col.nullable else value)
        elif col.kind == "date":
            lines.append(f"if {guard}not (len({c}) == 10 and {c}[4] == '-' and {c}[7] == '-'): "
                         "raise CellError('', '')")
            lines.append(f"d{i} = d_iso({c})" if not col.nullable else f"d{i} = d_iso({c}) if {c} else None")
            out.append(f"(None if {c} == '' else {c})" if raw and col.nullable else (c if raw else f"d{i}"))
        else:
            env[f"f{i}"] = conv
            out.append(f"f{i}({c})")
    for k, value in enumerate(tail):
        env[f"t{k}"] = value
        out.append(f"t{k}")
    names = ", ".join(f"c{i}" for i in range(len(spec.columns)))
    body = "\n".join("        " + ln for ln in lines)
    src = (f"def convert(cells):\n    {names}, = cells\n    try:\n{body}\n"
           f"    except ValueError:\n        raise CellError('', '') from None\n"
           f"    return ({', '.join(out)},)\n")
    code = _CONVERTER_CODE.get(src)  # the same text for every bundle of a round: compiled once
    if code is None:
        code = _CONVERTER_CODE[src] = compile(src, f"<bundle row converter {spec.name}>", "exec")
    exec(code, env)  # noqa: S102 - our own text
    return env["convert"]
