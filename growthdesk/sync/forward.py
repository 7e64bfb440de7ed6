"""What travels between a school's hub and its workstations besides the school's own rows
(issue 11), as extra members of the sealed bundles inside one school:

- ``student_numbers.json``: the 学籍号 of the students in the bundle. Rows in bundles never
  carry the number (``format.STUDENT_PRIVATE``); inside one school, sealed to one of its own
  PCs, they may. A hub's number wins on a workstation; a workstation's fills an empty one at
  the hub (a student it registered).
- ``foreign.json`` (hub → workstation): rows of the tables the district sends down
  (``publish.DOWN_TABLES``: district and national catalog, an arriving pupil's earlier records,
  programmes) that keep another owner's ``school_code`` and so never travel as the school's rows.
  Applied on the workstation exactly as the hub applied the district bundle
  (``publish._apply_table``: later clock wins, this school's own rows are never overwritten).

Both are written only into a sealed bundle addressed to a PC of the same school and are
applied only from one (checked by the importer).
"""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select, update

from ..models import Student
from . import format as fmt

NUMBERS_MEMBER = "student_numbers.json"
FOREIGN_MEMBER = "foreign.json"
NUMBERS_FORMAT = "growthdesk-student-numbers"
FOREIGN_FORMAT = "growthdesk-forwarded-rows"
ID_CHUNK = 900


class Invalid(ValueError):
    pass


# ---------------------------------------------------------------- 学籍号

def build_numbers(numbers: dict[str, str]) -> bytes | None:
    if not numbers:
        return None
    return json.dumps({"format": NUMBERS_FORMAT, "version": 1, "numbers": numbers}, ensure_ascii=False,
                      sort_keys=True).encode("utf-8")


def apply_numbers(s, data: bytes, *, authoritative: bool) -> int:
    """Set the 学籍号 of students here (without a usn: it is not a change to send back).
    ``authoritative`` (from the hub): the hub's number wins; else only an empty one is filled."""
    from ..errors import ValidationError
    from ..services.students import validate_national_student_no
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != NUMBERS_FORMAT or not isinstance(doc.get("numbers"), dict):
        raise Invalid("not a student numbers document")
    wanted = {}
    for sid, no in doc["numbers"].items():
        if not isinstance(sid, str) or not isinstance(no, str):
            raise Invalid("numbers: not text")
        try:
            wanted[sid] = validate_national_student_no(no)
        except ValidationError:
            raise Invalid(f"student {sid[:36]}: invalid 学籍号") from None
    t = Student.__table__
    ids, changed = sorted(wanted), 0
    for i in range(0, len(ids), ID_CHUNK):
        for sid, have in s.execute(select(t.c.id, t.c.national_student_no).where(t.c.id.in_(ids[i:i + ID_CHUNK]))):
            if have == wanted[sid] or (have and not authoritative):
                continue
            s.execute(update(t).where(t.c.id == sid).values(national_student_no=wanted[sid]))
            changed += 1
    return changed


# ---------------------------------------------------------------- other owners' rows, hub → workstation

def _down_specs() -> list[fmt.TableSpec]:
    from .publish import DOWN_TABLES
    names = {t.name for t in DOWN_TABLES}
    return [spec for spec in fmt.SPECS if spec.name in names]


def build_foreign(s, school: str, usn_from: int, usn_to: int) -> tuple[bytes | None, int]:
    """The rows of other owners changed in (usn_from, usn_to] here, as bundle CSV text per table
    (``publish`` layout: the spec's columns + ``deleted``). Returns (document or None, rows)."""
    from .publish import _encoders
    tables, total = {}, 0
    for spec in _down_specs():
        t = spec.table
        q = select(t).where(t.c.school_code != school, t.c.usn > usn_from, t.c.usn <= usn_to).order_by(t.c.id)
        rows = list(s.execute(q))
        if not rows:
            continue
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(spec.names + ["deleted"])
        encoders = _encoders(spec)
        for row in rows:
            m = row._mapping
            w.writerow([enc(m[n]) for enc, n in zip(encoders, spec.names)] + ["1" if m["deleted"] else "0"])
        tables[spec.name] = buf.getvalue()
        total += len(rows)
    if not tables:
        return None, 0
    return json.dumps({"format": FOREIGN_FORMAT, "version": 1, "tables": tables}, ensure_ascii=False,
                      sort_keys=True).encode("utf-8"), total


def apply_foreign(s, data: bytes, me: str, usn: int) -> dict:
    """Workstation: apply the hub's forwarded rows (``publish._apply_table``, one transaction
    with the rest of the bundle). Raises ``importer.Rejected`` / ``Invalid`` for bad content."""
    from ..services import terms as term_service
    from .publish import _apply_table, _rows
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FOREIGN_FORMAT or not isinstance(doc.get("tables"), dict):
        raise Invalid("not a forwarded rows document")
    specs = {spec.name: spec for spec in _down_specs()}
    if set(doc["tables"]) - set(specs) or not all(isinstance(v, str) for v in doc["tables"].values()):
        raise Invalid("unknown table")
    raw = s.get_bind().dialect.name == "sqlite"
    students = set(s.scalars(select(Student.id).where(Student.school_code == me, Student.deleted.is_(False))))
    counts, terms = {}, set()
    for name, spec in specs.items():  # SPECS order: parents first
        text = doc["tables"].get(name)
        if text is None:
            continue
        c = counts.setdefault(name, {"inserted": 0, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 0})
        items = list(_rows(text.encode("utf-8"), spec, f"{FOREIGN_MEMBER}:{spec.csv_name}", raw))
        _apply_table(s, spec, items, usn, me, students, c, term_service, terms, raw)
    return counts
