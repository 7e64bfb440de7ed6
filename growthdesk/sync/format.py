"""The bundle format (DESIGN §5, a stable contract): names, columns, cell encoding, signing.

A bundle is a zip holding ``manifest.json``, ``signature``, one ``<table>.csv`` per synced
table (live rows) and ``deletions.csv`` (tombstones), plus ``files/<sha256>`` evidence when
asked. CSVs are UTF-8 without BOM, header row, RFC 4180 quoting (CRLF), NULL as an empty cell.

Cells: booleans ``0``/``1``; dates ``YYYY-MM-DD``; timestamps UTC ``YYYY-MM-DDTHH:MM:SS.ffffff``
(always with microseconds, so text order is time order); floats in Python ``repr`` (exact).
``usn`` (a per-database counter) and ``deleted`` never travel in table CSVs; a student row
carries ``person_key`` and never ``national_student_no``.

``deletions.csv`` has columns ``table,id,updated_at,row``: ``row`` is the tombstone's full
last row as a JSON object of cells, so a district that never saw the live record (bundles
out of order) can still keep the tombstone and let it win against an older copy later.
Tombstones are listed in the order of ``SYNCED_MODELS`` (parents first).

The signature is the hex HMAC-SHA256 of the exact ``manifest.json`` bytes, keyed with the
school's ``sync_key`` taken as UTF-8 text (as ``person_key`` does with its secret).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Float, Integer, Table, Text

from ..models import SYNCED_MODELS

FORMAT = "growthdesk-bundle"
FORMAT_VERSION = 1
RECEIPT_FORMAT = "growthdesk-receipt"
RECEIPT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature"
DELETIONS = "deletions.csv"
DELETION_COLUMNS = ["table", "id", "updated_at", "row"]
FILES_PREFIX = "files/"
BUNDLE_SUFFIX = ".gdbundle.zip"

# Limits that keep a hostile or broken bundle from exhausting memory or disk.
MAX_MANIFEST_BYTES = 1 << 20
MAX_TEXT_CHARS = 65_535          # a Text cell (comments, summaries)
MAX_ROW_JSON_CHARS = 262_144     # one tombstone's row
MAX_MEMBER_BYTES = 4 << 30       # one CSV or evidence file inside the zip
NEVER_TRAVELS = {"usn", "deleted"}
SECRET_COLUMNS = {"password_hash", "sync_key"}  # never copied into a merge's history
# Columns a bundle of an earlier version may lack, and the cell they then read as (every row of
# such a bundle orders by its ``updated_at``, as those versions did).
OPTIONAL_COLUMNS = {"clock": "0", "versions": "", "class_seq": ""}
# The 综评 review columns (migration 0010) that a bundle from a node before it lacks, and what
# such a record means: "approved", entered by "import" (who and when unknown), not back-filled.
# Those nodes had no review and no student accounts: every record there counted in statistics
# and portfolios the moment it was entered (DESIGN §4a: only approved records count), and their
# records are teachers' entries. 0010 gives the rows already in an upgraded database the same
# values (its server defaults), so a record reads the same whichever way it reached the hub or
# the district. On a record that is already here the importer keeps its stored review cells
# instead: an old node has nothing to say about a state it does not know.
REVIEW_TABLES = ("competition_result", "innovation_project", "project_log_entry")
REVIEW_DEFAULTS = {"state": "approved", "return_reason": "", "entered_role": "import", "entered_by": "",
                   "entered_at": "", "backfilled": "0", "submitted_at": "", "reviewed_by": "", "reviewed_at": ""}
# Tables a bundle from a node before their migration does not carry at all (read as empty).
LATER_TABLES = {"self_record": "0010", "archive_item": "0010", "publicity_period": "0010", "objection": "0010",
                "sign_off": "0010", "amendment": "0010", "programme": "0011", "programme_mentor": "0011",
                "programme_nomination": "0011", "programme_member": "0011", "programme_log_entry": "0011",
                "programme_evaluation": "0011"}


def optional_columns(table: str) -> dict[str, str]:
    """Columns a bundle of an earlier version may lack in ``table``, with the cell they read as."""
    return {**OPTIONAL_COLUMNS, **REVIEW_DEFAULTS} if table in REVIEW_TABLES else OPTIONAL_COLUMNS
STUDENT_PRIVATE = {"national_student_no"}
# Format 2, school → district only (inside the bundle sealed to the district): a student's
# ``person_key`` cell carries this mark + the national student number; the district derives
# ``person_key`` with its own secret on import and never stores the number.
NUMBER_MARK = "@"


def bundle_name(school_code: str, sequence: int) -> str:
    return f"{school_code}-{sequence:06d}{BUNDLE_SUFFIX}"


def receipt_name(school_code: str, sequence: int) -> str:
    return f"{school_code}-{sequence:06d}.receipt.json"


def sign(data: bytes, key: str) -> str:
    return hmac.new(key.encode("utf-8"), data, hashlib.sha256).hexdigest()


def verify(data: bytes, key: str, signature: str) -> bool:
    return hmac.compare_digest(sign(data, key), signature.strip())


def canonical_json(doc: dict) -> bytes:
    """One byte form per document, so a signature over it can be checked anywhere."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- cell encoding

def encode_cell(value) -> str:
    """A Python value as its bundle cell text."""
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def row_digest(cells: list[str], deleted: bool) -> str:
    """The tie-break of last-writer-wins: equal ``updated_at`` → the larger digest wins, the
    same on every database and in every arrival order."""
    h = hashlib.sha256(b"1\x1f" if deleted else b"0\x1f")
    h.update(b"\x1f".join(c.encode("utf-8") for c in cells))
    return h.hexdigest()


# ---------------------------------------------------------------- table specs

_ENUM_SQL = re.compile(r"^\s*(\w+)\s+IN\s*\((.*)\)\s*$", re.S)

EVIDENCE_OWNER_TABLES = {"student": "student", "project": "innovation_project",
                         "result": "competition_result", "evaluation": "process_evaluation"}


@dataclass
class ColumnSpec:
    name: str
    kind: str                 # str, int, float, bool, date, datetime
    nullable: bool
    max_len: int | None
    enum: frozenset[str] | None = None
    ref_table: str | None = None   # foreign key target (by its id/code column)
    ref_column: str | None = None


@dataclass
class TableSpec:
    name: str
    model: type
    table: Table
    columns: list[ColumnSpec] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"


def _kind(col) -> str:
    t = col.type
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Float):
        return "float"
    return "str"


def _enums(table: Table) -> dict[str, frozenset[str]]:
    """Closed vocabularies read back from the CHECK constraints the models declare."""
    out = {}
    for cons in table.constraints:
        if not isinstance(cons, CheckConstraint):
            continue
        m = _ENUM_SQL.match(str(cons.sqltext))
        if m:
            out[m.group(1)] = frozenset(v.strip().strip("'") for v in m.group(2).split(","))
    return out


def _max_len(col) -> int | None:
    if isinstance(col.type, Text):
        return MAX_TEXT_CHARS
    return getattr(col.type, "length", None)


_LEADING = ["id", "school_code", "created_at", "updated_at", "updated_by"]


def _column_rank(col) -> int:
    # The shared bookkeeping columns first (``id`` is always cell 0), then the model's own.
    return _LEADING.index(col.name) if col.name in _LEADING else len(_LEADING)


def _spec(model) -> TableSpec:
    table = model.__table__
    enums = _enums(table)
    spec = TableSpec(model.__tablename__, model, table)
    for col in sorted(table.columns, key=_column_rank):
        if col.name in NEVER_TRAVELS or (spec.name == "student" and col.name in STUDENT_PRIVATE):
            continue
        fk = next(iter(col.foreign_keys), None)
        spec.columns.append(ColumnSpec(
            name=col.name, kind=_kind(col), nullable=bool(col.nullable), max_len=_max_len(col),
            enum=enums.get(col.name),
            ref_table=fk.column.table.name if fk is not None else None,
            ref_column=fk.column.name if fk is not None else None))
    return spec


SPECS: list[TableSpec] = [_spec(m) for m in SYNCED_MODELS]
SPEC_BY_NAME: dict[str, TableSpec] = {s.name: s for s in SPECS}
TABLE_ORDER: dict[str, int] = {s.name: i for i, s in enumerate(SPECS)}


def csv_members() -> list[str]:
    return [s.csv_name for s in SPECS] + [DELETIONS]
