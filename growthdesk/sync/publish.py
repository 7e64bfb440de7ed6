"""District bundles (下发数据包, DESIGN §5.1): what the district sends down to each school.

``publish_for_school`` writes one sealed bundle (format 2, ``kind`` = ``district``) for one
school; ``apply_district_bundle`` takes it in at the school (``bundle import`` / ``sync``).

The payload is a zip: ``manifest.json`` (format ``growthdesk-district-bundle``), ``rubric.json``
(the district's active rubric) and one CSV per down-travelling table, in the bundle column
layout of ``format.SPECS`` plus a last ``deleted`` column (0/1). What goes down is a list of
``DownTable`` entries (``DOWN_TABLES``), each a function selecting the rows for one school:

- ``competition``: catalog rows the district owns (school code empty or the district's), and the
  competitions of an arriving student's earlier awards;
- for each student who arrived from another school of the district (a live student of this
  school whose ``person_key`` also belongs to a student row of another school): their earlier
  projects (with mentors, log and outcomes), awards, process evaluations and term evaluations,
  with the student reference set to **this school's** student, so the growth view and the term
  portfolio show both schools' terms.

A programme helper adds its tables with ``register_down_table`` (rows keep their own
``school_code``; the school never sends rows of another school back up: export takes only rows
with its own code). Each record keeps its id; last writer wins by ``updated_at``.
Incremental: a school gets the rows changed at the district since the last bundle to it, and
everything of a student who arrived since then; ``full`` sends all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, bindparam, insert, or_, select, update

from .. import __version__
from ..db import Database, write_settings
from ..errors import DatabaseError, GrowthDeskError, ValidationError
from ..models import (Competition, CompetitionResult, CompetitionResultMember, ImportLog, InnovationProject,
                      ProcessEvaluation, ProjectLogEntry, ProjectMember, ProjectMentor, ProjectOutcome, Rubric,
                      School, Setting, Student, SyncState, TermEvaluation, utcnow)
from ..tracking import next_usn
from . import format as fmt
from .importer import Rejected
from .rows import CellError, converters, raw_table, row_converter

FORMAT = "growthdesk-district-bundle"
VERSION = 1
RUBRIC = "rubric.json"
ID_CHUNK = 900


@dataclass
class Scope:
    """What a down-table query needs: the school, the arrivals, the last usn sent."""

    school: str
    district: str
    since: int                      # rows changed after this district usn (0 = everything)
    links: dict[str, str]           # earlier student id (other school) -> this school's student id
    new_earlier: set[str]           # earlier ids whose link is new since the last bundle
    competitions: set[str]          # competitions the earlier awards refer to (filled on the way)
    projects: set[str]              # projects of the earlier project memberships (filled on the way)


@dataclass
class DownTable:
    name: str                                     # the table (a SyncMixin model in SYNCED_MODELS)
    rows: Callable[[object, Scope], list]         # (session, scope) -> row objects to send
    student_column: str | None = None             # rewritten to this school's student id


def _fresh(model, scope: Scope, owner_col=None):
    """Rows changed since the last bundle, or any row of a newly linked student."""
    changed = model.usn > scope.since
    if owner_col is None or not scope.new_earlier:
        return changed
    return or_(changed, owner_col.in_(bindparam("new_ids", expanding=True)))


def _by_ids(s, model, col, ids, extra=None, new_col=None, scope=None) -> list:
    out, ids = [], sorted(ids)
    for i in range(0, len(ids), ID_CHUNK):
        q = select(model.__table__).where(col.in_(ids[i:i + ID_CHUNK]))
        if extra is not None:
            q = q.where(extra)
        params = {}
        if new_col is not None and scope is not None and scope.new_earlier:
            params["new_ids"] = sorted(scope.new_earlier)
        out.extend(s.execute(q, params))  # plain rows (attribute access by column name): no ORM objects
    return out


def _live_or_changed(model, scope: Scope, owner_col):
    # A newly linked student gets only live rows; a known one also the tombstones since last time.
    fresh = _fresh(model, scope, owner_col)
    return and_(fresh, or_(model.deleted.is_(False), model.usn > scope.since))


def _members(model, student_col):
    def rows(s, scope: Scope) -> list:
        return _by_ids(s, model, student_col, scope.links, _live_or_changed(model, scope, student_col),
                       student_col, scope)
    return rows


def _catalog(s, scope: Scope) -> list:
    own = Competition.school_code.in_(["", scope.district])
    rows = list(s.execute(select(Competition.__table__).where(own, Competition.usn > scope.since,
                                                              Competition.on_national_list.is_(False))))
    have = {r.id for r in rows}
    rows += [c for c in _by_ids(s, Competition, Competition.id, scope.competitions - have) if not c.on_national_list]
    return rows


def _results(s, scope: Scope) -> list:
    ids = {m.result_id for m in _by_ids(s, CompetitionResultMember, CompetitionResultMember.student_id, scope.links)}
    rows = _by_ids(s, CompetitionResult, CompetitionResult.id, ids)
    scope.competitions.update(r.competition_id for r in rows)
    return rows


def _projects(s, scope: Scope) -> list:
    ids = {m.project_id for m in _by_ids(s, ProjectMember, ProjectMember.student_id, scope.links)}
    scope.projects.update(ids)
    return _by_ids(s, InnovationProject, InnovationProject.id, ids)


def _project_parts(model):
    def rows(s, scope: Scope) -> list:
        return _by_ids(s, model, model.project_id, scope.projects)
    return rows


def _evals(model):
    def rows(s, scope: Scope) -> list:
        return _by_ids(s, model, model.student_id, scope.links, _live_or_changed(model, scope, model.student_id),
                       model.student_id, scope)
    return rows


# The order is the order of application at the school (parents first), as in SYNCED_MODELS;
# the catalog is computed last (it needs the competitions of the awards) but applied first.
DOWN_TABLES: list[DownTable] = [
    DownTable("innovation_project", _projects),
    DownTable("project_member", _members(ProjectMember, ProjectMember.student_id), "student_id"),
    DownTable("project_mentor", _project_parts(ProjectMentor)),
    DownTable("project_log_entry", _project_parts(ProjectLogEntry)),
    DownTable("project_outcome", _project_parts(ProjectOutcome)),
    DownTable("competition_result", _results),
    DownTable("competition_result_member", _members(CompetitionResultMember, CompetitionResultMember.student_id),
              "student_id"),
    DownTable("process_evaluation", _evals(ProcessEvaluation), "student_id"),
    DownTable("term_evaluation", _evals(TermEvaluation), "student_id"),
    DownTable("competition", _catalog),
]


def register_down_table(table: DownTable) -> None:
    """Programmes etc.: add a table that travels down in district bundles (before ``competition``
    is fine; application follows ``format.TABLE_ORDER``)."""
    DOWN_TABLES.insert(len(DOWN_TABLES) - 1, table)


# ---------------------------------------------------------------- district: building

def _links(s, school: str) -> list[tuple[str, str, int]]:
    """(earlier student id, this school's student id, max usn of the pair) for every arrival."""
    local = Student.__table__.alias("l")
    early = Student.__table__.alias("e")
    q = (select(early.c.id, local.c.id, local.c.usn)
         .join(early, and_(early.c.person_key == local.c.person_key, early.c.school_code != local.c.school_code))
         .where(local.c.school_code == school, local.c.deleted.is_(False), local.c.person_key != ""))
    return [(e, l, u) for e, l, u in s.execute(q)]


def _usn_now(s) -> int:
    row = s.get(Setting, "usn")
    return int(row.value) if row else 0


def _plain(value) -> str:
    return "" if value is None else str(value)


def _encoders(spec: fmt.TableSpec) -> list:
    """One encoder per column: ``str`` for text and integers, the bundle's forms for the rest."""
    return [fmt.encode_cell if c.kind in ("datetime", "bool", "float") else _plain for c in spec.columns]


def _cells(spec: fmt.TableSpec, obj, student_col: str | None, links: dict[str, str], scope: Scope,
           encoders: list) -> list[str]:
    row = obj._mapping
    cells = [enc(row[name]) for enc, name in zip(encoders, spec.names)]
    if student_col is not None:
        i = spec.names.index(student_col)
        cells[i] = links.get(cells[i], cells[i])
    if spec.name == "competition_result":
        i = spec.names.index("project_id")
        if cells[i] and cells[i] not in scope.projects:
            cells[i] = ""  # a project of the earlier school the student was not a member of
    cells.append("1" if row["deleted"] else "0")
    return cells


def build_payload(db: Database, school: str, since: int, sequence: int, sink) -> dict:
    """Write the district bundle's zip for ``school`` into ``sink``; returns its manifest."""
    files, counts = {}, {}
    with db.session() as s:
        usn_to = _usn_now(s)
        links = _links(s, school)
        scope = Scope(school, db.district_code, since, {e: l for e, l, _ in links},
                      {e for e, _, u in links if u > since or since == 0}, set(), set())
        rubric = s.scalars(select(Rubric).where(Rubric.active.is_(True))).first()
        picked: dict[str, list] = {}
        for table in DOWN_TABLES:
            picked[table.name] = table.rows(s, scope)
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for spec in fmt.SPECS:
                table = next((t for t in DOWN_TABLES if t.name == spec.name), None)
                if table is None:
                    continue
                buf = io.StringIO()
                w = csv.writer(buf, lineterminator="\r\n")
                w.writerow(spec.names + ["deleted"])
                seen = set()
                encoders = _encoders(spec)
                for obj in picked[spec.name]:
                    if obj.id in seen:
                        continue
                    seen.add(obj.id)
                    w.writerow(_cells(spec, obj, table.student_column, scope.links, scope, encoders))
                data = buf.getvalue().encode("utf-8")
                zf.writestr(spec.csv_name, data)
                files[spec.csv_name] = {"table": spec.name, "rows": len(seen), "bytes": len(data),
                                        "sha256": hashlib.sha256(data).hexdigest()}
                counts[spec.name] = len(seen)
            rubric_doc = json.loads(rubric.document) if rubric else None
            rb = json.dumps(rubric_doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
            zf.writestr(RUBRIC, rb)
            manifest = {"format": FORMAT, "version": VERSION, "district_code": db.district_code, "school_code": school,
                        "sequence": sequence, "usn_from": since, "usn_to": usn_to, "app_version": __version__,
                        "created_at": utcnow().isoformat(timespec="seconds") + "Z", "files": files,
                        "rubric": {"bytes": len(rb), "sha256": hashlib.sha256(rb).hexdigest()},
                        "arrivals": len({l for _, l, _ in links})}
            zf.writestr(fmt.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest | {"counts": counts}


def publish_for_school(db: Database, school: str, out_dir: str | Path, *, user: str = "", full: bool = False,
                       only_if_new: bool = False) -> dict | None:
    """Write the next district bundle for ``school`` into ``out_dir`` (sealed to the school's
    pinned key). With ``only_if_new``, nothing is written (None) when nothing changed."""
    from ..outfiles import output_error
    from .sealed import envelope_for

    if db.kind != "district":
        raise DatabaseError("只有区级数据库可以下发数据包", "only a district database publishes district bundles",
                            field="db", value=db.kind)
    with db.session() as s:
        if s.get(School, school) is None:
            raise ValidationError(f"学校 {school} 未在本区登记", f"school {school} is not registered", field="school",
                                  value=school)
    env = envelope_for(db, school, kind="district")
    if env is None:
        raise ValidationError(f"学校 {school} 还没有用格式2设置文件加入，无法给它下发加密数据包",
                              f"school {school} has not enrolled with a format-2 setup file; it cannot receive "
                              "sealed bundles yet", field="school", value=school)
    with db.session() as s:
        state = s.get(SyncState, env.channel)
        seq = (state.last_sequence if state else 0) + 1
        since = 0 if full or state is None else (state.last_exported_usn or 0)
        if only_if_new and state is not None and since >= _usn_now(s):
            return None
    out = Path(out_dir)
    final = out / env.name(seq)
    part = final.with_name(final.name + ".part")
    sink = tempfile.SpooledTemporaryFile(max_size=64 << 20)
    try:
        out.mkdir(parents=True, exist_ok=True)
        manifest = build_payload(db, school, since, seq, sink)
        rubric_key = f"published_rubric_{school}"
        rubric_changed = db.settings.get(rubric_key) != manifest["rubric"]["sha256"]
        if only_if_new and since and not any(manifest["counts"].values()) and not rubric_changed:
            return None  # nothing new for this school (the finally below discards the payload)
        sink.seek(0)
        env.seal_file(sink, part, seq)
        os.replace(part, final)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise output_error(exc, final) from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        sink.close()
    try:
        with db.session(user=user) as s:
            state = s.get(SyncState, env.channel)
            if state is None:
                state = SyncState(school_code=env.channel, last_sequence=0, last_exported_usn=0)
                s.add(state)
            if (state.last_sequence or 0) != seq - 1:
                raise ValidationError("另一个下发同时进行，本次作废，请重试", "another publish ran at the same time; retry",
                                      field="sequence")
            state.last_sequence, state.last_exported_usn = seq, manifest["usn_to"]
            state.last_exported_at = utcnow()
            write_settings(s, {rubric_key: manifest["rubric"]["sha256"]})
            from ..services import accesslog  # pupils' earlier records leave the district: logged (issue 14)
            accesslog.record(s, "export_bundle", detail=f"{final.name} to {school} arrivals {manifest['arrivals']}")
        db.settings[rubric_key] = manifest["rubric"]["sha256"]
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return {"school_code": school, "path": str(final), "file": final.name, "sequence": seq, "full": since == 0,
            "arrivals": manifest["arrivals"], "counts": manifest["counts"], "rows": sum(manifest["counts"].values()),
            "bytes": final.stat().st_size}


def school_inbox(out_dir: str | Path, school: str) -> Path:
    """Where ``school``'s hub reads its bundles under ``out_dir``: the sync folder's
    ``to-<school>/`` (as ``sync.folder.inbox``). A folder that already is that inbox (the user
    chose ``F/to-S0001`` itself) is used as it is, never ``F/to-S0001/to-S0001``."""
    from .folder import inbox
    out = Path(out_dir)
    return out if out.name == f"to-{school}" else inbox(out, school)


def publish(db: Database, out_dir: str | Path, *, school: str | None = None, user: str = "",
            full: bool = False) -> dict:
    """District bundles for one school or for every enrolled school, each written into
    ``out_dir/to-<school code>/`` (the layout of a sync folder: a school's ``sync --folder``
    takes it from there; ``bundle import`` takes the file itself)."""
    from ..models import SyncPeer

    with db.session() as s:
        if school:
            codes = [school]
        else:
            codes = list(s.scalars(select(SyncPeer.node_id).where(SyncPeer.relation == "child",
                                                                  SyncPeer.status == "active")
                                   .order_by(SyncPeer.node_id)))
    results, errors = [], []
    for code in codes:
        try:  # DIR/to-<school>/, as in a sync folder: the file names repeat across schools
            results.append(publish_for_school(db, code, school_inbox(out_dir, code), user=user, full=full))
        except GrowthDeskError as exc:
            if school:
                raise
            errors.append({"school_code": code, "message": str(exc)})
    return {"bundles": results, "errors": errors}


# ---------------------------------------------------------------- school: applying

def _read_member(zf, name: str, meta: dict | None, limit: int = fmt.MAX_MEMBER_BYTES) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise Rejected(f"下发数据包缺少 {name}", f"the district bundle lacks {name}", field=name)
    if info.file_size > limit:
        raise Rejected(f"{name} 过大", f"{name} is too large", field=name)
    data = zf.read(name)
    if meta is not None and (hashlib.sha256(data).hexdigest() != meta.get("sha256") or len(data) != meta.get("bytes")):
        raise Rejected(f"{name} 的校验值不符", f"{name} fails its SHA-256 check", field=name)
    return data


def _parse(zf) -> dict:
    try:
        doc = json.loads(_read_member(zf, fmt.MANIFEST, None, fmt.MAX_MANIFEST_BYTES).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION \
            or not isinstance(doc.get("files"), dict):
        raise Rejected("不是 GrowthDesk 下发数据包（或版本不受支持）", "not a GrowthDesk district bundle (or unsupported "
                       "version)", field="manifest")
    return doc


def _rows(data: bytes, spec: fmt.TableSpec, name: str, raw: bool = False):
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True)
    header = next(reader, None)
    if header != spec.names + ["deleted"]:
        raise Rejected(f"{name} 的列与本版本不符", f"{name}'s columns do not match this version", field=name)
    fast = row_converter(spec, raw)  # raw (SQLite): values in their stored form, as the importer does
    names = spec.names
    for cells in reader:
        line = reader.line_num
        if len(cells) != len(header):
            raise Rejected(f"{name} 的列数不对", f"{name} has the wrong number of cells", field=name, row=line)
        try:
            values = dict(zip(names, fast(cells[:-1])))
        except CellError:
            for conv, cell, col in zip(converters(spec, False), cells, spec.columns):
                try:
                    conv(cell)
                except CellError as exc:
                    raise Rejected(f"{name}：{exc.zh}", f"{name}: {exc.en}", field=name, row=line, column=col.name,
                                   value=cell[:80]) from None
            raise Rejected(f"{name}：行无效", f"{name}: invalid row", field=name, row=line) from None
        if cells[-1] not in ("0", "1") or not values["id"]:
            raise Rejected(f"{name}：行无效", f"{name}: invalid row", field=name, row=line)
        yield line, values, cells[-1] == "1"


def apply_district_bundle(db: Database, opened, result: dict, *, dry_run: bool = False, user: str = "",
                          progress=None) -> dict:
    """School side: check the district bundle and apply it in one transaction (or not at all)."""
    from . import importer

    if db.kind != "school" or db.settings.get("node_role") != "hub":
        return importer._rejected(db, result, Rejected(
            "下发数据包只能导入学校主机数据库", "a district bundle is imported into a school hub database",
            field="db", value=db.kind), opened.path, opened.file_sha256, None, dry_run, user)
    try:
        if opened.sender["relation"] != "parent" or opened.sender["role"] != "district":
            raise Rejected("下发数据包只能来自本校的区教育局", "a district bundle must come from this school's district",
                           field="sender", value=opened.header["sender"])
        try:
            zf = zipfile.ZipFile(opened.payload)
        except zipfile.BadZipFile:
            raise Rejected("下发数据包内容已损坏", "the district bundle's content is damaged", field="file") from None
        with zf:
            doc = _parse(zf)
            if doc.get("school_code") != db.school_code or doc.get("district_code") != db.district_code \
                    or doc.get("sequence") != opened.sequence:
                raise Rejected(f"下发数据包是给另一所学校的（{str(doc.get('school_code'))[:16]}）",
                               f"the district bundle is for another school ({str(doc.get('school_code'))[:16]!r})",
                               field="school_code", value=doc.get("school_code"))
            result.update(school_code=db.school_code)
            with db.session(user=user) as s:
                prev = s.scalars(select(ImportLog).where(ImportLog.school_code == opened.header["sender"],
                                                         ImportLog.sequence == opened.sequence,
                                                         ImportLog.result == "imported")).first()
                if prev is not None:
                    result.update(status=importer.DUPLICATE, reason={
                        "zh": "该数据包已经导入过，未做任何改动", "en": "this bundle was already imported; nothing changed",
                        "message": "该数据包已经导入过，未做任何改动 (this bundle was already imported; nothing changed)"})
                    return result
                counts = _apply(s, zf, doc, db.school_code)
                if dry_run:
                    s.rollback()
                else:
                    s.add(ImportLog(school_code=opened.header["sender"], sequence=opened.sequence,
                                    file_name=opened.path.name[:255], file_sha256=opened.file_sha256,
                                    imported_by=user, result="imported", message="",
                                    counts_json=json.dumps({"counts": counts, "kind": "district"}, sort_keys=True)))
    except Rejected as exc:
        return importer._rejected(db, result, exc, opened.path, opened.file_sha256, None, dry_run, user)
    result.update(status=importer.IMPORTED, counts=counts, arrivals=doc.get("arrivals", 0))
    return result


def _apply(s, zf, doc: dict, me: str) -> dict:
    from ..services import rubric as rubric_service
    from ..services import terms as term_service

    usn = next_usn(s)
    s.flush()
    counts: dict = {}
    rb = json.loads(_read_member(zf, RUBRIC, doc.get("rubric") if isinstance(doc.get("rubric"), dict) else {}))
    if rb:
        active = s.scalars(select(Rubric).where(Rubric.active.is_(True))).first()
        text = json.dumps(rubric_service.load_rubric(rb).to_dict(), ensure_ascii=False, sort_keys=True)
        if active is None or active.document != text:
            rubric_service.install_rubric(s, rb)
            counts["rubric"] = {"inserted": 0, "updated": 1, "deleted": 0, "unchanged": 0}
    students = None
    terms: set = set()
    raw = s.get_bind().dialect.name == "sqlite"
    for spec in fmt.SPECS:
        meta = doc["files"].get(spec.csv_name)
        if meta is None:
            continue
        data = _read_member(zf, spec.csv_name, meta)
        c = counts.setdefault(spec.name, {"inserted": 0, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 0})
        items = list(_rows(data, spec, spec.csv_name, raw))
        if any(col.name == "student_id" for col in spec.columns):
            if students is None:
                students = set(s.scalars(select(Student.id).where(Student.school_code == me, Student.deleted.is_(False))))
        _apply_table(s, spec, items, usn, me, students, c, term_service, terms, raw)
    return counts


def _apply_table(s, spec: fmt.TableSpec, items: list, usn: int, me: str, students, c: dict, term_service,
                 terms: set, raw: bool) -> None:
    t = raw_table(spec) if raw else spec.table  # raw: compare and write timestamps as SQLite stores them
    taken = _term_evals_taken(s, {v["student_id"] for _, v, _ in items}) if spec.name == "term_evaluation" else {}
    ids = [v["id"] for _, v, _ in items]
    existing = {}
    for i in range(0, len(ids), ID_CHUNK):
        for rid, at, sc, ck in s.execute(select(t.c.id, t.c.updated_at, t.c.school_code, t.c.clock)
                                         .where(t.c.id.in_(ids[i:i + ID_CHUNK]))):
            existing[rid] = ((ck or 0, at), sc)
    inserts, updates = [], []
    for line, values, deleted in items:
        if values["school_code"] == me:
            raise Rejected(f"{spec.csv_name}：下发数据包不能改写本校自己的记录", f"{spec.csv_name}: a district bundle may "
                           "not overwrite this school's own records", field=spec.csv_name, row=line, column="school_code")
        if "student_id" in values and values["student_id"] not in students:
            c["skipped"] += 1  # the student left this school since the district last heard of it
            continue
        code = values.get("term_code")
        if code and code not in terms:
            try:
                term_service.ensure_term(s, code)
            except GrowthDeskError:
                raise Rejected(f"{spec.csv_name}：学期代码无效", f"{spec.csv_name}: invalid term code", field=spec.csv_name,
                               row=line, column="term_code") from None
            terms.add(code)
        if spec.name == "term_evaluation" and not deleted and \
                taken.get((values["student_id"], values["term_code"]), values["id"]) != values["id"]:
            c["skipped"] += 1  # this school wrote its own term evaluation for that term: it stays
            continue
        if spec.name == "term_evaluation" and not deleted:
            taken[(values["student_id"], values["term_code"])] = values["id"]
        row = dict(values, usn=usn, deleted=(1 if deleted else 0) if raw else deleted)
        old = existing.get(values["id"])
        if old is None:
            inserts.append(row)
            c["deleted" if deleted else "inserted"] += 1
        elif old[1] == me:
            raise Rejected(f"{spec.csv_name}：id 与本校的记录重复", f"{spec.csv_name}: id of one of this school's records",
                           field=spec.csv_name, row=line, column="id")
        elif (values.get("clock") or 0, values["updated_at"]) > old[0]:
            updates.append(row)
            c["deleted" if deleted else "updated"] += 1
        else:
            c["unchanged"] += 1
        existing[values["id"]] = ((values.get("clock") or 0, values["updated_at"]), values["school_code"])
    if inserts and raw:  # straight to the driver's executemany (as the importer does)
        cols = spec.names + ["usn", "deleted"]
        sql = (f'INSERT INTO "{spec.name}" ({", ".join(chr(34) + n + chr(34) for n in cols)}) '
               f'VALUES ({", ".join("?" * len(cols))})')
        s.connection().exec_driver_sql(sql, [tuple(r[n] for n in cols) for r in inserts])
    elif inserts:
        s.execute(insert(t), inserts)
    if updates:
        cols = [n for n in spec.names if n != "id"] + ["usn", "deleted"]
        stmt = update(t).where(t.c.id == bindparam("b_id")).values({n: bindparam(n) for n in cols})
        s.execute(stmt, [dict(r, b_id=r["id"]) for r in updates])


def _term_evals_taken(s, student_ids: set) -> dict:
    """{(student, term): id} of the live term evaluations already here for these students."""
    te, out, ids = TermEvaluation.__table__, {}, sorted(student_ids)
    for i in range(0, len(ids), ID_CHUNK):
        for sid, term, rid in s.execute(select(te.c.student_id, te.c.term_code, te.c.id).where(
                te.c.student_id.in_(ids[i:i + ID_CHUNK]), te.c.deleted.is_(False))):
            out[(sid, term)] = rid
    return out


from . import down_programmes  # noqa: E402,F401  (registers the programme tables: issue 16)
