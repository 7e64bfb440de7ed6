"""Helpers for tests and benchmarks of sync: real databases, table checksums, re-packed bundles.

Not used by the app. ``repack`` rebuilds a bundle with edited members and (optionally) a
fresh, correctly signed manifest, so a test can reach the row checks behind the signature.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from ..db import Database
from ..models import Base
from . import format as fmt

FIXED_TODAY = date(2026, 11, 2)  # demo data depends on "today"; tests pin it


def make_district_and_school(folder: Path, *, school_code: str = "S0001", district_code: str = "D01",
                             students: int = 0, terms: int = 2, seed: int = 1, district_target=None,
                             legacy: bool = True):
    """A district database, one registered school and its school database (optionally demo-filled).
    ``legacy``: a format-1 school (shared ``sync_key``, ``.gdbundle.zip`` bundles), as the
    format-1 tests need; ``legacy=False`` enrolls it with format 2 (sealed ``.gdbundle``)."""
    from ..demo import fill_demo
    from ..setup import add_school, create_district, create_school

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    district = create_district(district_target or folder / "district.db", district_code, "示例区")
    setup = add_school(district, school_code, "示例市第一中学", "urban", "junior", legacy=legacy)
    school = create_school(folder / f"{school_code}.db", setup)
    if students:
        fill_demo(school, students=students, terms=terms, seed=seed, today=FIXED_TODAY)
    return district, school, setup


def register_school(district: Database, setup: dict) -> None:
    """Register a school made elsewhere (same code and key) with another district database."""
    from ..models import School

    with district.session(user="test") as s:
        sc = setup["school"]
        s.add(School(code=sc["code"], name=sc["name"], district_code=district.district_code,
                     category=sc["category"], stages=",".join(sc["stages"]), sync_key=setup["sync_key"]))


def table_checksums(db: Database, skip: tuple[str, ...] = ("import_log",)) -> dict[str, str]:
    """SHA-256 of every table's rows in primary-key order: equal before and after = unchanged."""
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            h = hashlib.sha256()
            for row in conn.execute(select(table).order_by(*order)):
                h.update(repr(tuple(row)).encode("utf-8"))
            out[table.name] = h.hexdigest()
    return out


def records(db: Database, school_code: str, *, live_only: bool = False) -> dict[str, dict[str, tuple]]:
    """Every travelling record of one school as bundle cells (plus its deleted flag), by table and id."""
    out = {}
    with db.engine.connect() as conn:
        for spec in fmt.SPECS:
            t = spec.table
            q = select(*[t.c[n] for n in spec.names], t.c.deleted).where(t.c.school_code == school_code)
            if live_only:
                q = q.where(t.c.deleted.is_(False))
            out[spec.name] = {r[0]: tuple(fmt.encode_cell(v) for v in r[:-1]) + (bool(r[-1]),)
                              for r in conn.execute(q)}
    return out


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def write_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def edit_csv(name: str, change: Callable[[list[list[str]]], None]) -> Callable[[str, bytes], bytes | None]:
    """An ``edit`` for ``repack`` that changes one CSV's rows (header is row 0) in place."""
    def edit(member: str, data: bytes) -> bytes | None:
        if member != name:
            return None
        rows = parse_csv(data)
        change(rows)
        return write_csv(rows)
    return edit


def repack(src: Path, dst: Path, key: str | None, *, edit: Callable[[str, bytes], bytes | None] | None = None,
           manifest_edit: Callable[[dict], None] | None = None, resign: bool = True) -> Path:
    """Copy a bundle, editing members; with ``resign`` the manifest gets the new hashes and a
    signature made with ``key`` (so only the content checks can catch the edit)."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members[fmt.MANIFEST])
    for name in list(members):
        if name in (fmt.MANIFEST, fmt.SIGNATURE) or edit is None:
            continue
        new = edit(name, members[name])
        if new is not None:
            members[name] = new
            if resign and name in manifest["files"]:
                meta = manifest["files"][name]
                meta["sha256"] = hashlib.sha256(new).hexdigest()
                meta["bytes"] = len(new)
    if manifest_edit is not None:
        manifest_edit(manifest)
    if resign:
        members[fmt.MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        members[fmt.SIGNATURE] = (fmt.sign(members[fmt.MANIFEST], key) + "\n").encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def integrity_ok(db: Database) -> bool:
    with db.engine.connect() as conn:
        if db.engine.dialect.name != "sqlite":
            return True
        return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def write_synthetic_bundle(path: Path, *, school_code: str, district_code: str, key: str, evaluations: int,
                           students: int = 500, term_code: str = "2026-2027-1", sequence: int = 1) -> int:
    """A signed bundle of ``students`` students in 10 classes and ``evaluations`` process
    evaluations, streamed (for import benchmarks at sizes a demo school does not reach).
    Returns the number of rows."""
    from .export import _manifest, _Member

    ts = "2026-10-01T08:00:00.000000"
    common = {"school_code": school_code, "created_at": ts, "updated_at": ts, "updated_by": "bench"}
    uid = lambda kind, i: str(uuid.UUID(int=(hash((kind, school_code)) & 0xFFFF) << 64 | i))  # noqa: E731
    rows = {
        "school_class": ({**common, "id": uid("c", i), "school_year": "2026", "grade": "7", "class_no": str(i + 1),
                          "adviser_name": "王老师", "adviser_user_id": ""} for i in range(10)),
        "student": ({**common, "id": uid("s", i), "person_key": hashlib.sha256(str(i).encode()).hexdigest(),
                     "name": f"学生{i}", "gender": "MF"[i % 2], "birth_date": "2013-05-01", "stage": "junior",
                     "entry_year": "2026", "class_id": uid("c", i % 10), "status": "enrolled", "note": "",
                     "pinyin": ""} for i in range(students)),
        "process_evaluation": ({**common, "id": uid("e", i), "student_id": uid("s", i % students),
                                "term_code": term_code, "dimension": "moral", "indicator": "", "level": "A",
                                "score": "95.0", "evaluator_role": "teacher", "evaluator_name": "王老师",
                                "comment": "表现很好，积极参加科技活动", "eval_date": "2026-10-01"}
                               for i in range(evaluations)),
    }
    files, total = {}, 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for spec in fmt.SPECS:
            m = _Member(zf, spec.csv_name, spec.names)
            for row in rows.get(spec.name, ()):
                m.add([row.get(n, "") for n in spec.names])
            files[spec.csv_name] = {"table": spec.name, **m.close()}
            total += files[spec.csv_name]["rows"]
        m = _Member(zf, fmt.DELETIONS, fmt.DELETION_COLUMNS)
        files[fmt.DELETIONS] = {"table": "", **m.close()}
        ctx = {"school": school_code, "district": district_code, "sequence": sequence, "full": True,
               "usn_from": 0, "usn_to": 1}
        manifest = _manifest(ctx, files, {})
        zf.writestr(fmt.MANIFEST, manifest)
        zf.writestr(fmt.SIGNATURE, fmt.sign(manifest, key) + "\n")
    return total
