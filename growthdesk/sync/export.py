"""School side: write the next bundle (changes since the last one, or everything with ``full``).

The file is written as ``<name>.part`` and renamed when complete; ``sync_state`` moves on only
after that, so a crash or a full USB stick never skips changes: the next export simply covers
them again.
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
from datetime import datetime
from pathlib import Path

from sqlalchemy import String, and_, exists, or_, select, type_coerce, update

from .. import __version__, hlc, tracking
from ..db import Database
from ..errors import DatabaseError, ValidationError
from ..models import AuditLog, Setting, SyncExport, SyncState, utcnow
from ..outfiles import output_error, prepare_folder, remove_quietly
from ..paths import evidence_dir
from . import format as fmt

FLUSH_ROWS = 2_000
ID_CHUNK = 5_000
Progress = Callable[[int, int, str], None]


class _Member:
    """One CSV inside the zip, written through a text buffer while its SHA-256 is kept."""

    def __init__(self, zf: zipfile.ZipFile, name: str, header: list[str]) -> None:
        self.name = name
        self.raw = zf.open(name, "w", force_zip64=True)
        self.sha = hashlib.sha256()
        self.bytes = 0
        self.rows = 0
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\r\n")
        self.writer.writerow(header)

    def add(self, cells: list[str]) -> None:
        self.writer.writerow(cells)
        self.rows += 1
        if self.rows % FLUSH_ROWS == 0:
            self.flush()

    def flush(self) -> None:
        data = self.buf.getvalue().encode("utf-8")
        self.buf.seek(0)
        self.buf.truncate()
        self.sha.update(data)
        self.bytes += len(data)
        self.raw.write(data)

    def close(self) -> dict:
        self.flush()
        self.raw.close()
        return {"rows": self.rows, "bytes": self.bytes, "sha256": self.sha.hexdigest()}


def _school_key(db: Database) -> str:
    from ..setup import school_sync_key

    key = school_sync_key(db)
    if not key:
        raise DatabaseError("本校没有同步密钥（请用区教育局提供的设置文件创建数据库）",
                            "this school has no sync key (create the database from the district's setup file)",
                            field="sync_key")
    return key


def _require_school(db: Database) -> None:
    if db.kind != "school" or not db.school_code:
        raise DatabaseError(f"只有学校数据库可以导出数据包（这是：{db.kind or '未初始化'}）",
                            f"only a school database exports bundles (this is: {db.kind or 'uninitialised'})",
                            field="db", value=db.kind)


def _changed(t, ctx: dict):
    cond = and_(t.c.usn > ctx["usn_from"], t.c.usn <= ctx["usn_to"])
    if ctx.get("echo"):  # rows stored exactly as the recipient sent them: it has them already
        cond = and_(cond, t.c.usn.not_in(sorted(ctx["echo"])))
    return cond


def school_rows_by_usn(col, school: str, sqlite: bool):
    """``school_code = school`` in a query that also bounds ``usn`` (changed rows since the last
    bundle), written so that SQLite walks the ``usn`` index over that range: with a plain
    equality, and no statistics, it picks the ``school_code`` index and reads every row of the
    school in the table (all of a school's evaluations, to find the few changed since the last
    round). ``school_code || ''`` is the same test that no index serves."""
    return (col.concat("") == school) if sqlite else (col == school)


def _of_school(t, ctx: dict):
    return school_rows_by_usn(t.c.school_code, ctx["school"], ctx["raw"] and not ctx["full"])


def _changed_tables(s, ctx: dict) -> set[str] | None:
    """The tables with a row changed in the bundle's range (live or deleted), asked in one
    query; None for a full bundle (every table). The other tables' changed-row and closure
    queries are skipped: a hub writes a bundle to each of its workstations every round, and most
    tables have no change in a few minutes' range. Rows of any school count (a superset of what
    the bundle takes): with ``school_code`` in the test SQLite would pick that index and read
    every row of the school in each table, instead of the few in the range by ``usn``."""
    if ctx["full"]:
        return None
    flags = s.execute(select(*(exists().where(_changed(spec.table, ctx)).label(f"t{i}")
                               for i, spec in enumerate(fmt.SPECS)))).one()
    return {spec.name for spec, flag in zip(fmt.SPECS, flags) if flag}


def _has_changed(spec: fmt.TableSpec, ctx: dict) -> bool:
    changed = ctx.get("changed_tables")
    return changed is None or spec.name in changed


def _echo_usns(s, peer: str, usn_from: int, usn_to: int) -> set[int]:
    """The usns under which imports from ``peer`` stored its rows unchanged (``echo_usn`` in
    their import log), within the range being exported."""
    from ..models import ImportLog

    out = set()
    for (text,) in s.execute(select(ImportLog.counts_json).where(ImportLog.school_code == peer,
                                                                ImportLog.result == "imported")):
        try:
            echo = json.loads(text or "{}").get("echo_usn")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(echo, int) and usn_from < echo <= usn_to:
            out.add(echo)
    return out


def _rows(s, spec: fmt.TableSpec, ctx: dict, deleted: bool):
    """The changed rows, then the unchanged ones that changed rows refer to (see ``_closure``)."""
    t = spec.table
    cols = [t.c[n] for n in spec.names]
    if ctx["raw"]:
        stored = {c.name for c in spec.columns if c.kind in ("datetime", "bool")}
        cols = [type_coerce(c, String()) if c.name in stored else c for c in cols]
    if spec.name == "student":
        cols.append(t.c.national_student_no)
    base = select(*cols).where(_of_school(t, ctx), t.c.deleted.is_(deleted))
    if _has_changed(spec, ctx):
        q = base.where(_changed(t, ctx)).order_by(t.c.usn, t.c.id)
        yield from s.execute(q.execution_options(yield_per=FLUSH_ROWS))
    needed = sorted(ctx["needed"].get(spec.name, ()))
    for i in range(0, len(needed), ID_CHUNK):
        yield from s.execute(base.where(t.c.id.in_(needed[i:i + ID_CHUNK]), ~_changed(t, ctx)).order_by(t.c.id))


def _closure(s, ctx: dict) -> dict[str, set[str]]:
    """Ids of unchanged parent rows that the bundle's rows refer to, children first, so every
    bundle is complete by itself: it applies whatever arrived before it (or did not)."""
    needed: dict[str, set[str]] = {}
    if ctx["full"]:
        return needed
    for spec in reversed(fmt.SPECS):
        t = spec.table
        refs = [(c.name, c.ref_table) for c in spec.columns if c.ref_table in fmt.SPEC_BY_NAME]
        if spec.name == "evidence":
            refs += [("owner_id", table) for table in fmt.EVIDENCE_OWNER_TABLES.values()]
        if not refs:
            continue
        mine = needed.get(spec.name, set())
        scopes = ([_changed(t, ctx)] if _has_changed(spec, ctx) else []) + [t.c.id.in_(chunk)
                                                                              for chunk in _chunks(sorted(mine))]
        for col, parent in refs:
            for scope in scopes:
                q = select(t.c[col]).distinct().where(_of_school(t, ctx), t.c[col].is_not(None), scope)
                if spec.name == "evidence":
                    owner = next(k for k, v in fmt.EVIDENCE_OWNER_TABLES.items() if v == parent)
                    q = q.where(t.c.owner_type == owner)
                needed.setdefault(parent, set()).update(s.scalars(q))
    return needed


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i:i + ID_CHUNK] for i in range(0, len(ids), ID_CHUNK)]


def _sqlite_ts(v):
    """SQLAlchemy's SQLite text form ``YYYY-MM-DD HH:MM:SS.ffffff`` → the bundle's, without parsing."""
    if v is None:
        return ""
    if len(v) == 26 and v[10] == " ":
        return v[:10] + "T" + v[11:]
    return fmt.encode_cell(datetime.fromisoformat(v))


def _fixers(spec: fmt.TableSpec, raw: bool) -> list[tuple[int, object]]:
    """Only timestamps and booleans need encoding by hand: the csv writer already writes None as
    an empty cell, and str(int), str(float) and str(date) are the bundle's forms. On SQLite the
    columns are read as stored (text, 0/1), which skips parsing every timestamp."""
    out = []
    for i, col in enumerate(spec.columns):
        if col.kind == "datetime":
            out.append((i, _sqlite_ts if raw else fmt.encode_cell))
        elif col.kind == "bool" and not raw:
            out.append((i, fmt.encode_cell))
    return out


def _cells(spec: fmt.TableSpec, row, ctx: dict, fixers) -> list:
    student = spec.name == "student"
    cells = list(row[:-1] if student else row)
    for i, enc in fixers:
        cells[i] = enc(cells[i])
    if student and ctx.get("numbers") and row[-1]:
        cells[ctx["pk_i"]] = fmt.NUMBER_MARK + row[-1]  # sealed to the district, which derives person_key
    elif student and ctx.get("blank_keys"):
        cells[ctx["pk_i"]] = ""  # format 2 without the district's secret: a key here would only be a hash of the number
    elif student and not cells[ctx["pk_i"]] and row[-1]:
        from ..services.students import person_key
        cells[ctx["pk_i"]] = person_key(ctx["secret"], row[-1])  # filled in if the row still lacks it
    return cells


def _write_tables(s, zf, ctx: dict, progress: Progress | None) -> tuple[dict, set[str]]:
    files, shas = {}, set()
    ctx["pk_i"] = fmt.SPEC_BY_NAME["student"].names.index("person_key")
    for done, spec in enumerate(fmt.SPECS, 1):
        m = _Member(zf, spec.csv_name, spec.names)
        sha_i = spec.names.index("sha256") if spec.name == "evidence" else -1
        fixers = _fixers(spec, ctx["raw"])
        numbers = ctx.get("numbers_out") if spec.name == "student" else None
        for row in _rows(s, spec, ctx, False):
            cells = _cells(spec, row, ctx, fixers)
            if numbers is not None and row[-1]:
                numbers[row[0]] = row[-1]  # the 学籍号, for a PC of this school (sync.forward)
            if sha_i >= 0 and cells[sha_i] and len(cells[sha_i]) == 64:
                shas.add(cells[sha_i])
            m.add(cells)
        files[spec.csv_name] = {"table": spec.name, **m.close()}
        if progress:
            progress(done, len(fmt.SPECS) + 1, spec.name)
    m = _Member(zf, fmt.DELETIONS, fmt.DELETION_COLUMNS)
    for spec in fmt.SPECS:
        fixers = _fixers(spec, ctx["raw"])
        for row in _rows(s, spec, ctx, True):
            as_dict = dict(zip(spec.names, map(fmt.encode_cell, _cells(spec, row, ctx, fixers))))
            m.add([spec.name, as_dict["id"], as_dict["updated_at"],
                   json.dumps(as_dict, ensure_ascii=False, sort_keys=True)])
    files[fmt.DELETIONS] = {"table": "", **m.close()}
    return files, shas


def _write_evidence(zf, shas: set[str], db: Database) -> tuple[dict, list[str]]:
    folder = evidence_dir(db.path)
    added, missing = {}, []
    for sha in sorted(shas):
        src = folder / sha[:2] / sha
        if not src.is_file():
            missing.append(sha)
            continue
        from ..services.evidence import read_evidence  # opens a sealed file (encrypted database)
        data = read_evidence(db, sha)
        zf.writestr(fmt.FILES_PREFIX + sha, data)
        added[sha] = {"bytes": len(data)}
    return added, missing


def _usn_now(s) -> int:
    row = s.get(Setting, "usn")
    return int(row.value) if row is not None else 0


RESTART_JUMP = 1_000
_MAX_SEQUENCE = 2**31 - 1
_SEQ_EPOCH = datetime(2020, 1, 1)


def restart_sequence(last: int, now: datetime | None = None) -> int:
    """The first sequence after a restore (or a refusal for a reused number): past anything
    the lost copy of this database may have sent. At least ``RESTART_JUMP`` beyond the last one
    known here, and at least the minutes since 2020 (so a second restore of the same backup
    jumps past the first one's block too, unless more than one bundle a minute was sent)."""
    now = now or utcnow()
    minutes = int((now - _SEQ_EPOCH).total_seconds() // 60)
    if not 0 < minutes < _MAX_SEQUENCE // 2:  # a wall clock far off: the plain jump only
        minutes = 0
    return min(max(last + RESTART_JUMP, minutes), _MAX_SEQUENCE)


def _plan(db: Database, full: bool, peer: str | None) -> dict:
    """``peer``: a child node (or the hub, from a workstation); None: this node's parent (the
    district). The channel (``sync_state`` key) is the peer, or the school code for the parent."""
    from .receipts import NEEDS_FULL

    channel = peer or db.school_code
    with db.session() as s:
        state = s.get(SyncState, channel)
        last_seq = state.last_sequence if state else 0
        last_usn = state.last_exported_usn if state else 0
        restart = s.get(Setting, NEEDS_FULL) is not None
        full = bool(full) or restart
        sequence = restart_sequence(last_seq) if restart and last_seq else last_seq + 1
        usn_to = _usn_now(s)
        echo = set() if full else _echo_usns(s, peer or db.settings.get("parent_node_id") or db.district_code,
                                             last_usn, usn_to)
        return {"school": db.school_code, "district": db.district_code, "node": db.node_id, "echo": echo,
                "peer": peer or db.district_code, "channel": channel, "state_key": channel, "sequence": sequence,
                "last_sequence": last_seq, "usn_from": 0 if full else last_usn, "usn_to": usn_to,
                "full": full, "restart": restart, "secret": db.settings.get("person_key_secret", "")}


def _manifest(ctx: dict, files: dict, evidence: dict) -> bytes:
    doc = {"format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION, "school_code": ctx["school"],
           "node": ctx["node"], "to": ctx["peer"],
           "district_code": ctx["district"], "sequence": ctx["sequence"], "full": ctx["full"],
           "usn_from": ctx["usn_from"], "usn_to": ctx["usn_to"],
           "created_at": utcnow().isoformat(timespec="seconds") + "Z", "app_version": __version__,
           "files": files, "evidence": evidence}
    if ctx.get("extras"):
        doc["extras"] = ctx["extras"]
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _record_export(db: Database, ctx: dict, user: str, file_sha: str) -> None:
    from .receipts import NEEDS_FULL

    with db.session(user=user) as s:
        state = s.get(SyncState, ctx["state_key"])
        if state is None:
            state = SyncState(school_code=ctx["state_key"], last_sequence=0, last_exported_usn=0)
            s.add(state)
        if (state.last_sequence or 0) != ctx["last_sequence"]:  # another export ran at the same time
            raise ValidationError("另一个导出同时进行，本次导出作废，请重试",
                                  "another export ran at the same time; this one is void, try again", field="sequence")
        state.last_sequence = ctx["sequence"]
        state.last_exported_usn = max(ctx["usn_to"], state.last_exported_usn or 0)
        state.last_exported_at = utcnow()
        s.add(SyncExport(peer=ctx["peer"], sequence=ctx["sequence"], usn_from=ctx["usn_from"], usn_to=ctx["usn_to"],
                         full=ctx["full"], file_sha256=file_sha, exported_at=utcnow()))
        if ctx["restart"]:
            flag = s.get(Setting, NEEDS_FULL)
            if flag is not None:
                s.delete(flag)


def repair_future_clocks(db: Database, user: str = "") -> int:
    """Restamp this database's records whose clock or times lie beyond our wall clock + skew:
    they were made while this PC's clock stood in the future (and has been put right since), and
    every receiver refuses them. They become changes made now; returns how many."""
    limit_us = hlc.wall_us() + hlc.MAX_SKEW_US
    limit_dt = hlc.from_us(limit_us)
    fixed = 0
    with db.session(user=user) as s:
        s.info["untracked"] = True  # stamped here by hand, like tracking would, with one audit row
        clock = usn = None
        now = utcnow()
        for spec in fmt.SPECS:
            t = spec.table
            q = select(t.c.id, t.c.clock, t.c.versions, t.c.updated_at, t.c.created_at).where(
                t.c.school_code == db.school_code,
                or_(t.c.clock > limit_us, t.c.updated_at > limit_dt, t.c.created_at > limit_dt))
            rows = s.execute(q).all()
            if not rows:
                continue
            if clock is None:
                clock, usn = tracking.next_clock(s), tracking.next_usn(s)
            for rid, ck, text, updated_at, created_at in rows:
                try:
                    v = hlc.parse(text or "", ck or 0, 0) if text else {}
                except hlc.VersionError:
                    v = {}
                v = {k: ([clock, db.node_id] + e[2:] if e[0] > limit_us else e) for k, e in v.items()}
                if hlc.CREATED not in v or not text:
                    v[hlc.CREATED] = [clock, db.node_id]
                s.execute(update(t).where(t.c.id == rid).values(
                    clock=hlc.max_clock(v), versions=hlc.dumps(v), usn=usn, updated_at=min(updated_at, now),
                    created_at=min(created_at, now)))
                fixed += 1
        if fixed:
            s.add(AuditLog(at=now, user=user, action="clock-repair", table_name="*", record_id="",
                           before_json="", after_json=json.dumps({"records": fixed}, ensure_ascii=False)))
    return fixed


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


AUTO = "auto"


def export_bundle(db: Database, out_dir: str | Path, *, full: bool = False, with_evidence: bool = False,
                  user: str = "", progress: Progress | None = None, peer: str | None = None,
                  envelope=AUTO, repair: bool = True) -> dict:
    """Write the next bundle into ``out_dir``; returns what was written (path, sequence, counts).

    ``peer``: the node the bundle is for when it is not the district: a workstation sends to
    its hub (the hub's node id, its school code), a hub to a workstation (``<school>-Wnn``).
    Each peer has its own sequence and export state; the manifest names sender (``node``) and
    recipient (``to``).

    ``envelope`` (a ``sealed.Envelope``) seals the bundle to its recipient (format 2,
    ``<node>-<sequence>.gdbundle``). The default ``"auto"`` seals whenever this node has the
    recipient (``peer``, or its parent) pinned in ``sync_peer`` — a format-2 school, a workstation
    — and writes format 1 (``.gdbundle.zip``) otherwise; ``None`` forces format 1.

    ``repair=False``: the caller ran ``repair_future_clocks`` already (a sync round runs it once
    before writing to each of its peers, not once per peer)."""
    _require_school(db)
    if envelope == AUTO:
        from .sealed import envelope_for
        envelope = envelope_for(db, peer)
    if envelope is not None:
        peer = None if envelope.to_district else envelope.recipient
    key = _school_key(db) if envelope is None else ""
    out = Path(out_dir)
    prepare_folder(out)
    repaired = repair_future_clocks(db, user) if repair else 0
    ctx = _plan(db, full, peer)
    ctx["raw"] = db.engine.dialect.name == "sqlite"
    ctx["numbers"] = bool(envelope is not None and envelope.to_district)
    ctx["blank_keys"] = bool(envelope is not None and not envelope.to_district and not ctx["secret"])
    within_school = envelope is not None and not envelope.to_district  # hub ↔ workstation, sealed
    if within_school:
        ctx["numbers_out"] = {}
    accounts = None
    if envelope is None:
        final = out / fmt.bundle_name(ctx["node"] if peer is None else f"{ctx['node']}-to-{peer}", ctx["sequence"])
        part = zsink = final.with_name(final.name + ".part")
    else:  # the zip is only the payload: kept in memory (or a private temporary file), then sealed
        final = out / envelope.name(ctx["sequence"])
        part = final.with_name(final.name + ".part")
        zsink = tempfile.SpooledTemporaryFile(max_size=64 << 20)
    try:
        with zipfile.ZipFile(zsink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            with db.session() as s:
                ctx["changed_tables"] = _changed_tables(s, ctx)
                ctx["needed"] = _closure(s, ctx)
                files, shas = _write_tables(s, zf, ctx, progress)
            evidence, missing = _write_evidence(zf, shas, db) if with_evidence else ({}, [])
            ctx["extras"] = {}
            if within_school:
                from . import forward, schoolwide
                extras: list[tuple[str, bytes | None]] = []
                with db.session() as s:
                    if envelope.recipient_role == "workstation":
                        # the school itself, and other owners' rows (district catalog, earlier records)
                        extras.append((schoolwide.MEMBER, schoolwide.build(s)))
                        extras.append((forward.FOREIGN_MEMBER,
                                       forward.build_foreign(s, ctx["school"], ctx["usn_from"], ctx["usn_to"])[0]))
                    else:  # up to the hub: passwords changed on this workstation
                        accounts = schoolwide.build_accounts(s)
                        extras.append((schoolwide.ACCOUNTS_MEMBER, accounts))
                extras.append((forward.NUMBERS_MEMBER, forward.build_numbers(ctx["numbers_out"])))
                for name, data in extras:
                    if data is not None:
                        zf.writestr(name, data)
                        ctx["extras"][name] = schoolwide.describe(data)
            manifest = _manifest(ctx, files, evidence)
            zf.writestr(fmt.MANIFEST, manifest)
            zf.writestr(fmt.SIGNATURE, fmt.sign(manifest, key) + "\n")
        if envelope is not None:
            zsink.seek(0)
            envelope.seal_file(zsink, part, ctx["sequence"])
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, final)
    except OSError as exc:
        remove_quietly(part)
        raise output_error(exc, final) from None
    except BaseException:
        remove_quietly(part)
        raise
    finally:
        if envelope is not None:
            zsink.close()
    try:
        _record_export(db, ctx, user, _sha256(final))
        if accounts is not None:
            from .schoolwide import mark_accounts_sent
            with db.session(user=user) as s:
                mark_accounts_sent(s, accounts)
        from ..fileperms import tighten
        from ..services import accesslog
        tighten(final)
        with db.session(user=user) as s:
            accesslog.record(s, "export_bundle", detail=f"{final.name} {'full' if ctx['full'] else 'changes'} "
                             f"usn {ctx['usn_from']}-{ctx['usn_to']}")
    except BaseException:
        final.unlink(missing_ok=True)  # not recorded → must not exist, or its sequence would be reused
        raise
    if progress:
        progress(len(fmt.SPECS) + 1, len(fmt.SPECS) + 1, "")
    counts = {f["table"] or "deletions": f["rows"] for f in files.values()}
    if ctx["restart"]:
        db.reload_settings()
    return {"path": str(final), "file": final.name, "format": 2 if envelope is not None else 1,
            "recipient": envelope.recipient if envelope is not None else (peer or db.district_code),
            "sequence": ctx["sequence"], "full": ctx["full"],
            "restarted": ctx["restart"], "clock_repaired": repaired,
            "usn_from": ctx["usn_from"], "usn_to": ctx["usn_to"], "rows": sum(counts.values()),
            "counts": counts, "evidence_files": len(evidence), "missing_evidence": missing,
            "bytes": final.stat().st_size}
