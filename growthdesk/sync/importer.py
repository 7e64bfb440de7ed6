"""District side: check a bundle completely, then apply it whole in one transaction, or not at all.

Order of checks (each failure rejects the bundle with a reason and leaves the data untouched):
zip readable → manifest and signature (the school's key from the ``school`` table) → district
code → exact set of members → size and SHA-256 of every member → already imported? → every
row parsed and validated while it is applied inside the one transaction (types, lengths,
vocabularies, ownership, references) → row counts equal the manifest's. Anything wrong rolls
the transaction back. Like DHIS2's import summaries, the result counts what happened per table.

Rows are applied per table, parents first (``SYNCED_MODELS``), each table's tombstones before
its live rows (so a class deleted and re-made with the same number does not collide with
itself). A row already stored is merged field by field with the incoming one by their versions
(``growthdesk.hlc``: hybrid logical clock, node id, value digest), deletions winning only over
earlier edits, so every arrival order ends in the same state; times beyond this computer's clock
+ 5 minutes are refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from .. import hlc
from ..db import Database
from ..errors import DatabaseError, GrowthDeskError, ValidationError
from ..models import ImportLog, School, Term
from ..paths import evidence_dir
from ..tracking import next_usn, observe_clock
from . import format as fmt
from .rows import CellError, RuleBroken, converters, raw_table, row_checker, row_converter

CHUNK = 2_000
_HOLDABLE = {"competition_result", "innovation_project", "project_log_entry", "self_record", "archive_item"}
SQLITE_CACHE_KIB = int(os.environ.get("GROWTHDESK_SYNC_CACHE_KIB", "65536"))  # page cache while applying
PAUSE_ENV = "GROWTHDESK_SYNC_TEST_PAUSE"  # "<seconds>:<marker file>": tests kill an import mid-apply
Progress = Callable[[int, int, str], None]

IMPORTED, DUPLICATE, REJECTED = "imported", "already imported", "rejected"
_LOG_RESULT = {IMPORTED: "imported", DUPLICATE: "duplicate", REJECTED: "rejected"}


class Rejected(ValidationError):
    """The bundle as a whole is refused (its reason is the message)."""


class SequenceReused(Rejected):
    """The sequence number was already imported from another bundle: the sender was restored
    from an older backup (or copied). Its receipt asks for a full export with fresh numbers."""


def _reject(zh: str, en: str, **kw) -> Rejected:
    return Rejected(zh, en, **kw)


# ---------------------------------------------------------------- the outer checks

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _reject(f"找不到文件：{path.name}", f"file not found: {path.name}", field="file", value=str(path))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject("不是有效的数据包：文件不是 zip，或已损坏、被截断",
                      f"not a valid bundle: the file is not a zip, or it is damaged or truncated ({exc})",
                      field="file", value=path.name)


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _reject(f"数据包缺少 {name}", f"the bundle lacks {name}", field=name)
    if info.file_size > fmt.MAX_MANIFEST_BYTES:
        raise _reject(f"{name} 过大", f"{name} is too large", field=name)
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _reject(f"数据包已损坏（{name}）", f"the bundle is damaged ({name}: {exc})", field=name)


def _manifest_field(doc: dict, key: str, kind: type):
    value = doc.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _reject(f"清单字段 {key} 缺失或类型不对", f"manifest field {key!r} is missing or of the wrong type",
                      field=key, value=value)
    return value


def _school_of(s, school_code) -> School:
    school = s.get(School, school_code) if isinstance(school_code, str) and school_code else None
    if school is not None and not school.sync_key:
        raise _reject(f"学校 {school_code} 已改用格式2（加密）数据包，不再接受格式1数据包；请用新版软件导出",
                      f"school {school_code} now sends format-2 (sealed) bundles; its format-1 bundles are no "
                      "longer accepted: export with the new version", field="school_code", value=school_code)
    if school is None:
        raise _reject(f"学校 {school_code} 未在本区登记，或没有同步密钥",
                      f"school {school_code!r} is not registered with this district, or has no sync key",
                      field="school_code", value=school_code)
    return school


def _check_manifest(db: Database, zf: zipfile.ZipFile, sealed=None) -> dict:
    """``sealed`` (a ``sealed.Opened``): the envelope already proved who sent it; the payload's
    own HMAC is not checked, but it must name the envelope's sender and sequence."""
    raw = _read_small(zf, fmt.MANIFEST)
    signature = _read_small(zf, fmt.SIGNATURE).decode("ascii", "replace")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if not isinstance(doc, dict) or doc.get("format") != fmt.FORMAT:
        raise _reject("清单不是 GrowthDesk 数据包清单", "the manifest is not a GrowthDesk bundle manifest", field="manifest")
    if sealed is not None:
        school_code = doc.get("school_code")
        if school_code != sealed.sender["school_code"] or doc.get("node", school_code) != sealed.header["sender"] \
                or doc.get("sequence") != sealed.sequence:
            raise _reject("数据包内容与其加密封套不一致（发送节点、学校或序号不同）",
                          "the bundle's content does not match its envelope (sender, school or sequence differ)",
                          field="manifest")
        with db.session() as s:
            school = s.get(School, school_code)
            if school is None:
                raise _reject(f"学校 {school_code} 未在本区登记", f"school {school_code} is not registered",
                              field="school_code", value=school_code)
            key, school_district = None, school.district_code
    else:
        with db.session() as s:
            school = _school_of(s, doc.get("school_code"))
            key, school_district = school.sync_key, school.district_code
    if key is not None and not fmt.verify(raw, key, signature):
        raise _reject("签名不符：数据包被改动过，或不是该校用自己的密钥生成的",
                      "the signature does not match: the bundle was altered, or not signed with this school's key",
                      field="signature")
    version = _manifest_field(doc, "format_version", int)
    if version != fmt.FORMAT_VERSION:
        raise _reject(f"数据包格式版本 {version} 不受支持（请升级软件）",
                      f"bundle format version {version} is not supported (upgrade the app)", field="format_version")
    district = _manifest_field(doc, "district_code", str)
    if district != db.district_code or district != school_district:
        raise _reject(f"数据包属于另一个区（{district}），本区是 {db.district_code}",
                      f"the bundle is for another district ({district}); this is {db.district_code}",
                      field="district_code", value=district)
    for key_, kind in (("sequence", int), ("usn_from", int), ("usn_to", int), ("full", bool),
                       ("files", dict), ("evidence", dict)):
        _manifest_field(doc, key_, kind)
    if doc["usn_from"] < 0 or doc["usn_from"] > doc["usn_to"]:
        raise _reject("清单中的变更范围无效", "invalid usn range in the manifest", field="usn_from", value=doc["usn_from"])
    if doc["sequence"] < 1:
        raise _reject("数据包序号无效", "invalid bundle sequence number", field="sequence", value=doc["sequence"])
    doc["_sender"] = _sender(db, doc, sealed)
    doc["_sealed"] = sealed is not None
    return doc


def _sender(db: Database, doc: dict, sealed=None) -> str:
    """The node that made the bundle (the envelope's sender, or manifest ``node``; a school hub's
    is its school code). A district takes bundles from school hubs; a school database (hub or
    workstation) takes those of the other nodes of its own school."""
    school = doc["school_code"]
    node = doc.get("node", school)
    if sealed is not None:
        if node != sealed.header["sender"]:
            raise _reject("数据包内容与其加密封套不一致（发送节点不同）",
                          "the bundle's content does not match its envelope (sending node differs)", field="node")
    if not (isinstance(node, str) and (node == school or (node.startswith(school + "-") and len(node) <= 40))):
        raise _reject("清单中的发送节点无效", "invalid sending node in the manifest", field="node", value=str(node)[:40])
    if db.kind == "district" and node != school:
        raise _reject(f"这是工作站 {node} 的数据包：工作站的数据应先同步到本校主机，由主机发给区教育局",
                      f"this bundle comes from workstation {node}: a workstation syncs with its school's hub, "
                      "which sends to the district", field="node", value=node)
    if db.kind == "school":
        if school != db.school_code:
            raise _reject(f"数据包属于另一所学校（{school}），本校是 {db.school_code}",
                          f"the bundle belongs to another school ({school}); this is {db.school_code}",
                          field="school_code", value=school)
        if node == db.node_id:
            raise _reject("这是本机自己导出的数据包", "this bundle was exported by this very database", field="node",
                          value=node)
    return node


def _check_members(zf: zipfile.ZipFile, doc: dict) -> None:
    listed = set(doc["files"])
    expected = listed | {fmt.MANIFEST, fmt.SIGNATURE}
    # a bundle from a node before a migration lacks the tables that came with it (read as empty)
    later = {fmt.SPEC_BY_NAME[name].csv_name for name in fmt.LATER_TABLES}
    if not listed <= set(fmt.csv_members()) or not set(fmt.csv_members()) - listed <= later:
        odd = sorted(listed ^ set(fmt.csv_members()))
        raise _reject(f"清单中的文件与本版本的表不一致：{', '.join(odd)}",
                      f"the manifest's files do not match this version's tables: {', '.join(odd)}", field="files")
    for sha in doc["evidence"]:
        if not (isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)):
            raise _reject("清单中的佐证文件名无效", "invalid evidence file name in the manifest", field="evidence", value=sha)
        expected.add(fmt.FILES_PREFIX + sha)
    extras = doc.get("extras", {})
    if not isinstance(extras, dict) or set(extras) - EXTRA_MEMBERS:
        raise _reject("清单中的附加内容无效", "invalid extra members in the manifest", field="extras")
    expected |= set(extras)
    present = set(zf.namelist())
    if present != expected:
        extra, missing = sorted(present - expected), sorted(expected - present)
        raise _reject(f"数据包内容与清单不符（多出：{extra or '无'}；缺少：{missing or '无'}）",
                      f"the bundle's contents do not match its manifest (extra: {extra}; missing: {missing})",
                      field="files")


def _hash_member(zf: zipfile.ZipFile, name: str, limit: int) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    if zf.getinfo(name).file_size > limit:  # the zip's own directory says so: refuse before reading
        raise _reject(f"{name} 比清单所写的大", f"{name} is larger than its manifest says", field=name)
    try:
        with zf.open(name) as fh:
            while block := fh.read(1 << 20):
                n += len(block)
                if n > limit:
                    raise _reject(f"{name} 比清单所写的大", f"{name} is larger than its manifest says", field=name)
                h.update(block)
    except Rejected:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _reject(f"数据包已损坏或被截断（{name}）", f"the bundle is damaged or truncated ({name}: {exc})", field=name)
    return h.hexdigest(), n


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_hashes(zf: zipfile.ZipFile, doc: dict) -> None:
    from .schoolwide import MAX_BYTES

    for name, meta in doc.get("extras", {}).items():
        if not (isinstance(meta, dict) and isinstance(meta.get("sha256"), str) and _count(meta.get("bytes"))):
            raise _reject(f"清单中 {name} 的说明不完整", f"the manifest's entry for {name} is incomplete", field=name)
        sha, n = _hash_member(zf, name, min(meta["bytes"], MAX_BYTES))
        if sha != meta["sha256"] or n != meta["bytes"]:
            raise _reject(f"{name} 的校验值不符：文件被改动或损坏", f"{name} fails its SHA-256 check: altered or damaged",
                          field=name)
    for name, meta in doc["files"].items():
        if not (isinstance(meta, dict) and isinstance(meta.get("sha256"), str) and _count(meta.get("rows"))
                and _count(meta.get("bytes"))):
            raise _reject(f"清单中 {name} 的说明不完整", f"the manifest's entry for {name} is incomplete", field=name)
        sha, _ = _hash_member(zf, name, min(meta["bytes"], fmt.MAX_MEMBER_BYTES))
        if sha != meta["sha256"]:
            raise _reject(f"{name} 的校验值不符：文件被改动或损坏", f"{name} fails its SHA-256 check: altered or damaged",
                          field=name)
    for sha, meta in doc["evidence"].items():
        size = meta.get("bytes") if isinstance(meta, dict) else None
        if not _count(size):
            raise _reject("清单中佐证文件的大小无效", "invalid evidence file size in the manifest", field="evidence", value=sha)
        got, n = _hash_member(zf, fmt.FILES_PREFIX + sha, min(size, fmt.MAX_MEMBER_BYTES))
        if got != sha or n != size:
            raise _reject(f"佐证文件 {sha[:12]}… 的校验值不符", f"evidence file {sha[:12]}… fails its SHA-256 check",
                          field="evidence", value=sha)


# ---------------------------------------------------------------- reading rows

MAX_LINE_CHARS = 4 << 20  # one physical CSV line; the csv module's own limit keeps each cell under 128 Ki


def _capped_lines(stream, name: str) -> Iterator[str]:
    """The lines of ``stream``, refusing one longer than ``MAX_LINE_CHARS`` before it is read
    whole: a signed bundle with a 1 GB cell must not take 1 GB (or 4, decoded) of memory."""
    while line := stream.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise _reject(f"{name} 中有一行过长（超过 {MAX_LINE_CHARS} 个字符），数据包不是本软件生成的或已损坏",
                          f"{name} has a line too large (over {MAX_LINE_CHARS} characters); the bundle was not made by "
                          "GrowthDesk or is damaged", field=name)
        yield line


def _csv_rows(zf: zipfile.ZipFile, name: str, expected: list[str], optional: dict | None = None,
              absent_out: set | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells in ``expected`` order) for each data row; header checked first.
    Columns of ``optional`` (default ``fmt.OPTIONAL_COLUMNS``) that the file lacks read as their
    defaults and are added to ``absent_out``."""
    optional = fmt.OPTIONAL_COLUMNS if optional is None else optional
    stream = io.TextIOWrapper(zf.open(name), encoding="utf-8", errors="strict", newline="")
    reader = csv.reader(_capped_lines(stream, name), strict=True)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise _reject(f"{name} 是空文件（缺少表头）", f"{name} is empty (no header row)", field=name)
        if header and header[0].startswith("\ufeff"):
            raise _reject(f"{name} 以字节顺序标记（BOM）开头：文件被其他软件（如 Excel、记事本）另存过，"
                          "数据包不能再导入；请让学校重新导出",
                          f"{name} starts with a byte order mark (BOM): it was re-saved by another program "
                          "(Excel, Notepad); the school should export the bundle again", field=name, row=1)
        missing = [c for c in expected if c not in header and c not in optional]
        extra = [c for c in header if c not in expected]
        if missing:
            raise _reject(f"{name} 缺少列：{', '.join(missing)}", f"{name} lacks the column(s) {', '.join(missing)}",
                          field=name, column=missing[0], row=1)
        # Columns an older bundle version lacks (``fmt.OPTIONAL_COLUMNS``) read as their defaults.
        absent = [c for c in expected if c not in header]
        if extra or len(header) + len(absent) != len(expected):
            bad = extra or header
            raise _reject(f"{name} 有多余的列：{', '.join(bad)}", f"{name} has unexpected column(s) {', '.join(bad)}",
                          field=name, column=bad[0], row=1)
        defaults = [optional[c] for c in absent]
        if absent_out is not None:
            absent_out.update(absent)
        full_header = header + absent
        order = None if full_header == expected else [full_header.index(c) for c in expected]
        width = len(header)
        for cells in reader:
            if len(cells) != width:
                raise _reject(f"{name} 的列数不对（应为 {width} 列，实为 {len(cells)} 列）",
                              f"{name} has {len(cells)} cells where {width} are expected", field=name, row=reader.line_num)
            if defaults:
                cells = cells + defaults
            yield reader.line_num, (cells if order is None else [cells[i] for i in order])
    except UnicodeDecodeError:
        raise _reject(f"{name} 不是 UTF-8 编码（可能是 GBK）", f"{name} is not UTF-8 text (GBK perhaps?)", field=name)
    except csv.Error as exc:
        raise _reject(f"{name} 第 {reader.line_num} 行无法解析（单元格过大或引号不配对）",
                      f"{name} line {reader.line_num} cannot be parsed (cell too large or bad quoting): {exc}",
                      field=name, row=reader.line_num)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _reject(f"数据包已损坏（{name}）", f"the bundle is damaged ({name}: {exc})", field=name)


class _Tombstones:
    """``deletions.csv`` read once, handing out each table's tombstones in table order."""

    def __init__(self, zf: zipfile.ZipFile, absent: dict | None = None) -> None:
        self.absent = {} if absent is None else absent  # table → columns its tombstones lacked
        self.rows = _csv_rows(zf, fmt.DELETIONS, fmt.DELETION_COLUMNS)
        self.head = next(self.rows, None)
        self.last_order = -1
        self.count = 0

    def take(self, spec: fmt.TableSpec) -> Iterator[tuple[int, list[str]]]:
        while self.head is not None:
            line, (table, rid, updated_at, row_json) = self.head
            order = fmt.TABLE_ORDER.get(table)
            if order is None:
                raise _reject(f"deletions.csv 中有未知的表：{table}", f"deletions.csv names an unknown table {table!r}",
                              field=fmt.DELETIONS, row=line, column="table", value=table)
            if order < self.last_order:
                raise _reject("deletions.csv 没有按表的顺序排列", "deletions.csv is not in table order",
                              field=fmt.DELETIONS, row=line, column="table")
            if table != spec.name:
                return
            self.last_order = order
            yield line, self._cells(spec, line, rid, updated_at, row_json)
            self.count += 1
            self.head = next(self.rows, None)

    def _cells(self, spec, line, rid, updated_at, row_json) -> list[str]:
        where = dict(field=fmt.DELETIONS, row=line, column="row")
        if len(row_json) > fmt.MAX_ROW_JSON_CHARS:
            raise _reject("删除记录的内容过大", "a tombstone's row is too large", **where)
        try:
            doc = json.loads(row_json)
        except json.JSONDecodeError:
            doc = None
        optional = fmt.optional_columns(spec.name)
        lacking = set(spec.names) - set(doc) if isinstance(doc, dict) else set()
        if not isinstance(doc, dict) or set(doc) - set(spec.names) or not lacking <= set(optional) \
                or not all(isinstance(v, str) for v in doc.values()):
            raise _reject(f"删除记录的内容与表 {spec.name} 的列不符", f"a tombstone's row does not match the columns of {spec.name}",
                          **where)
        if doc["id"] != rid or doc["updated_at"] != updated_at:
            raise _reject("删除记录的 id 或 updated_at 与其内容不一致", "a tombstone's id or updated_at differs from its row",
                          **where)
        if lacking:
            self.absent.setdefault(spec.name, set()).update(lacking)
        return [doc[n] if n in doc else optional[n] for n in spec.names]


# ---------------------------------------------------------------- applying

@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"inserted": self.inserted, "updated": self.updated, "deleted": self.deleted, "unchanged": self.unchanged}


class _Item(NamedTuple):
    line: int
    cells: list[str]
    values: tuple       # the row as inserted: converted cells, then usn and the deleted flag
    updated_at: object


@dataclass
class _Applier:
    """Applies one bundle's rows inside the caller's transaction."""

    s: object
    school_code: str
    usn: int
    raw: bool
    progress: Progress | None = None
    total_rows: int = 0
    done_rows: int = 0
    counts: dict = field(default_factory=dict)
    known: dict = field(default_factory=dict)     # referenced table → ids known to exist
    sql_cache: dict = field(default_factory=dict)
    fresh: bool | None = None
    pause: str = field(default_factory=lambda: os.environ.get(PAUSE_ENV, ""))
    now_us: int = field(default_factory=hlc.wall_us)
    max_clock: int = 0
    conflicts: int = 0
    fast: Callable | None = None
    keep_history: bool = False                    # note merged-away values (school databases)
    merged_usn: int = 0                           # usn of merged rows (``usn`` marks rows as sent)
    merged: list = field(default_factory=list)    # (table, id, [(field, lost value, kept value)])
    source: str = ""                              # the sending node (held-back changes name it)
    hold_check: bool | None = None                # 综评 freeze: check rows at all? (issue 15)
    held: int = 0                                 # rows held back by the freeze, kept in held_change
    held_new: dict = field(default_factory=dict)  # table → ids of held-back rows new here (their children follow)
    absent: dict = field(default_factory=dict)    # table → columns the bundle lacked (a node of an earlier version)

    def table(self, spec: fmt.TableSpec, rows: Iterator[tuple[int, list[str]]], deleted: bool, file: str) -> int:
        tail = (self.usn, (1 if deleted else 0) if self.raw else deleted)
        fast = row_converter(spec, self.raw, self.school_code, tail)
        rules = row_checker(spec)  # the same rules as an edit in the app
        self.fast = fast
        target = raw_table(spec) if self.raw else spec.table
        counts = self.counts.setdefault(spec.name, Counts())
        n, chunk = 0, []
        self.fresh = None
        ui = spec.names.index("updated_at")
        check = self._clock_check(spec, deleted, file)
        for line, cells in rows:
            if self.fresh is None:
                self.fresh = self._is_fresh(spec)
            try:
                values = fast(cells)
                rules(cells)
            except CellError:
                self._explain(spec, line, cells, file)
            check(line, cells, values)
            chunk.append(_Item(line, cells, values, values[ui]))
            n += 1
            if len(chunk) >= CHUNK:
                self._chunk(spec, target, chunk, deleted, counts, file)
                chunk = []
        if chunk:
            self._chunk(spec, target, chunk, deleted, counts, file)
        return n

    def _clock_check(self, spec, deleted: bool, file: str):
        """Refuse times beyond our own clock + skew (a sender whose clock runs in the future, or
        9999-12-31), and versions that are not what ``hlc`` wrote; remember the largest clock."""
        names = spec.names
        ci, vi = names.index("clock"), names.index("versions")
        ts = [names.index("updated_at"), names.index("created_at")]
        limit_us = self.now_us + hlc.MAX_SKEW_US
        limit_dt = hlc.from_us(limit_us)
        limit = limit_dt.isoformat(sep=" ", timespec="microseconds") if self.raw else limit_dt
        fields = [n for n in names if n not in hlc.BOOKKEEPING]

        def ahead(line: int, column: str, value) -> Rejected:
            shown = str(value)[:19].replace("T", " ")
            now = hlc.from_us(self.now_us).isoformat(sep=" ", timespec="minutes")
            return _reject(f"{file}：记录的时间 {shown} 晚于本机时间（{now} UTC）超过 {hlc.MAX_SKEW_US // 60_000_000} 分钟："
                           "发送方电脑的日期或时间可能不对。请校正那台电脑的时钟后重新导出（它会自动改正这些记录的时间）",
                           f"{file}: a record's time {shown} is more than {hlc.MAX_SKEW_US // 60_000_000} minutes after "
                           f"this computer's clock ({now} UTC): the sender's date or time is probably wrong. Set that "
                           "computer's clock right and export again (it then corrects these records' times)",
                           field=file, row=line, column=column, value=shown)

        def check(line: int, cells: list[str], values: tuple) -> None:
            clock = values[ci]
            if clock < 0 or clock > limit_us:
                raise ahead(line, "clock", hlc.from_us(min(max(clock, 0), 253_402_300_799_000_000)).isoformat())
            for i in ts:
                if values[i] > limit:
                    raise ahead(line, names[i], values[i])
            if cells[vi]:
                try:
                    v = hlc.parse(cells[vi], clock, 0)
                except hlc.VersionError as exc:
                    raise _reject(f"{file}：versions 列无效（{exc}）", f"{file}: invalid versions cell ({exc})",
                                  field=file, row=line, column="versions") from None
                top = hlc.max_clock(v)
                if top != clock or hlc.deleted_of(v, fields) != deleted:
                    raise _reject(f"{file}：versions 列与 clock 或删除标记不一致", f"{file}: the versions cell disagrees "
                                  "with the clock or the deleted flag", field=file, row=line, column="versions")
            if clock > self.max_clock:
                self.max_clock = clock
        return check

    def _explain(self, spec, line: int, cells: list[str], file: str):
        """The fast converter refused the row: find the cell and the reason, cell by cell."""
        for conv, cell, col in zip(converters(spec, self.raw), cells, spec.columns):
            try:
                conv(cell)
            except CellError as exc:
                raise _reject(f"{file}：{exc.zh}", f"{file}: {exc.en}", field=file, row=line, column=col.name,
                              value=cell[:80]) from None
        try:
            row_checker(spec)(cells)
        except RuleBroken as exc:
            raise _reject(f"{file}：{exc.zh}", f"{file}: {exc.en}", field=file, row=line, column=exc.column,
                          value=cells[spec.names.index(exc.column)][:80]) from None
        sc = cells[spec.names.index("school_code")]
        if sc != self.school_code:
            raise _reject(f"{file}：记录属于另一所学校（{sc[:16]}），不能由本校的数据包提交",
                          f"{file}: the record belongs to another school ({sc[:16]!r}); this bundle may not carry it",
                          field=file, row=line, column="school_code", value=sc[:16])
        raise _reject(f"{file}：id 为空", f"{file}: empty id", field=file, row=line, column="id")

    def _chunk(self, spec, target, chunk: list[_Item], deleted: bool, counts: Counts, file: str) -> None:
        if self.held_new:
            chunk = self._hold_children(spec, chunk, deleted)
            if not chunk:
                return
        keep = self.absent.get(spec.name, set()) & fmt.REVIEW_DEFAULTS.keys()
        if keep and not self.fresh:
            chunk = self._keep_stored(spec, chunk, sorted(keep))
        self._check_refs(spec, chunk, file)
        if self.keep_history and spec.name in _HOLDABLE:
            chunk = self._hold_back(spec, chunk, deleted)
            if not chunk:
                return
        if self.fresh:
            # Nothing of this school's in the table before this bundle: every row is new (the
            # first, large bundle of a school takes this path; a repeated id fails the primary key).
            self._insert(spec, target, [it.values for it in chunk])
            if deleted:
                counts.deleted += len(chunk)
            else:
                counts.inserted += len(chunk)
        else:
            self._merge(spec, target, chunk, deleted, counts, file)
        self._remember(spec, chunk)
        self._tick(len(chunk), spec.name)

    def _hold_back(self, spec, chunk: list[_Item], deleted: bool) -> list[_Item]:
        """School databases: rows the 综评 freeze refuses (a frozen record changed on a PC that had
        not synced, a student's crafted change) are kept in ``held_change`` with the reason, not
        applied (``services.archive.incoming_verdict``); the rest go on as usual."""
        from ..services import archive
        if self.hold_check is None:
            self.hold_check = archive.incoming_check_needed(self.s)
        if not self.hold_check:
            return chunk
        kept = []
        for it in chunk:
            row = dict(zip(spec.names, it.cells))
            row["deleted"] = deleted
            why = archive.incoming_verdict(self.s, spec.name, row)
            if why is None:
                kept.append(it)
                continue
            # the re-asserted record must travel back to the sender: the merged usn, not the echo usn
            archive.hold_incoming(self.s, spec.name, row, why, source=self.source, usn=self.merged_usn or self.usn)
            self.held += 1
            rid = it.cells[0]
            if not deleted and self.s.scalar(select(spec.table.c.id).where(spec.table.c.id == rid)) is None:
                self.held_new.setdefault(spec.name, set()).add(rid)
        return kept

    def _keep_stored(self, spec, chunk: list[_Item], columns: list[str]) -> list[_Item]:
        """A bundle from a node before 0010 lacks the review columns (``fmt.REVIEW_DEFAULTS``): on
        a record already here they keep their stored cells (the sender knows nothing of review
        states, so it cannot have changed one); only a new record takes the defaults."""
        existing = self._existing(spec, [it.cells[0] for it in chunk])
        idx = [spec.names.index(c) for c in columns]
        out = []
        for it in chunk:
            old = existing.get(it.cells[0])
            if old is None or all(it.cells[i] == old[1][i] for i in idx):
                out.append(it)
                continue
            cells = list(it.cells)
            for i in idx:
                cells[i] = old[1][i]
            values = self.fast(cells)
            out.append(it._replace(cells=cells, values=values[:-2] + it.values[-2:]))
        return out

    def _hold_children(self, spec, chunk: list[_Item], deleted: bool) -> list[_Item]:
        """Rows that belong to a record held back as new (a project's members and log entries,
        an award's team members, their evidence) are held back with it, not applied: without
        their parent they could not be, and the rest of the bundle still goes in (issue 15)."""
        from ..services import archive
        refs = [(i, col.ref_table) for i, col in enumerate(spec.columns) if col.ref_table in self.held_new]
        owner = None
        if spec.name == "evidence":
            owner = (spec.names.index("owner_type"), spec.names.index("owner_id"))
        if not refs and owner is None:
            return chunk
        kept = []
        for it in chunk:
            parent = next(((table, it.cells[i]) for i, table in refs if it.cells[i] in self.held_new[table]), None)
            if parent is None and owner is not None:
                table = fmt.EVIDENCE_OWNER_TABLES.get(it.cells[owner[0]])
                if table in self.held_new and it.cells[owner[1]] in self.held_new[table]:
                    parent = (table, it.cells[owner[1]])
            if parent is None:
                kept.append(it)
                continue
            row = dict(zip(spec.names, it.cells))
            row["deleted"] = deleted
            archive.hold_back(self.s, spec.name, row,
                              (f"所属的记录（{parent[0]} {parent[1][:8]}…）被暂缓，这一行随它一起暂缓",
                               f"its parent record ({parent[0]} {parent[1]}) is held back; held with it"),
                              source=self.source)
            self.held += 1
            if not deleted:
                self.held_new.setdefault(spec.name, set()).add(it.cells[0])
        return kept

    def _merge(self, spec, target, chunk: list[_Item], deleted: bool, counts: Counts, file: str) -> None:
        """Merge field by field (``hlc.merge``) with the rows already in the database."""
        existing = self._existing(spec, [it.cells[0] for it in chunk])
        inserts, updates = [], []
        flag = (1 if deleted else 0) if self.raw else deleted
        for it in chunk:
            old = existing.get(it.cells[0])
            if old is None:
                inserts.append(it.values)
                existing[it.cells[0]] = (self.school_code, it.cells, deleted)
                if deleted:
                    counts.deleted += 1
                else:
                    counts.inserted += 1
                continue
            if old[0] != self.school_code:
                raise _reject(f"{file}：id {it.cells[0]} 已属于另一所学校的记录", f"{file}: id {it.cells[0]} belongs to "
                              "another school's record", field=file, row=it.line, column="id", value=it.cells[0])
            _, old_cells, old_deleted = old
            if old_cells == it.cells and old_deleted == deleted:
                counts.unchanged += 1
                continue
            cells, now_deleted = self._merged(spec, old_cells, old_deleted, it.cells, deleted)
            if cells == old_cells and now_deleted == old_deleted:
                counts.unchanged += 1
                continue
            values = it.values
            if cells is not it.cells:  # a new row, unlike what the sender has: it goes back to it too
                values = self.fast(cells)[:-2] + (self.merged_usn or self.usn,
                                                  (1 if now_deleted else 0) if self.raw else now_deleted)
            updates.append(values)
            existing[it.cells[0]] = (self.school_code, cells, now_deleted)
            if now_deleted and not old_deleted:
                counts.deleted += 1
            else:
                counts.updated += 1
        if inserts:
            self._insert(spec, target, inserts)
        if updates:
            cols = spec.names + ["usn", "deleted"]
            t = target
            stmt = update(t).where(t.c.id == bindparam("b_id")).values({c: bindparam(c) for c in cols[1:]})
            self.s.execute(stmt, [dict(zip(cols, v), b_id=v[0]) for v in updates])

    def _merged(self, spec, old_cells: list[str], old_deleted: bool, new_cells: list[str],
                new_deleted: bool) -> tuple[list[str], bool]:
        """The merge of the stored copy and the incoming one: the incoming cells themselves when
        they win whole, the stored ones when they do, else a new row."""
        names = spec.names
        fields = [n for n in names if n not in hlc.BOOKKEEPING]
        a, b = dict(zip(names, old_cells)), dict(zip(names, new_cells))
        av, bv = _versions_of(a, old_deleted, fields), _versions_of(b, new_deleted, fields)
        cells, mv, lost = hlc.merge(fields, a, av, b, bv)
        now_deleted = hlc.deleted_of(mv, fields)
        if mv == bv and all(cells[f] == b[f] for f in fields):
            self._note(spec, a, [x for x in lost if x[2] == b[x[0]] and x[1] == a[x[0]]])
            return new_cells, new_deleted
        if mv == av and all(cells[f] == a[f] for f in fields):
            self._note(spec, a, [x for x in lost if x[2] == a[x[0]] and x[1] == b[x[0]]])
            return old_cells, old_deleted
        self.conflicts += len(lost)
        self._note(spec, a, lost)
        cells["clock"] = str(hlc.max_clock(mv))
        cells["versions"] = hlc.dumps(mv)
        return [cells[n] for n in names], now_deleted

    def _insert(self, spec, target, rows: list[list]) -> None:
        cols = spec.names + ["usn", "deleted"]
        if not self.raw:
            self.s.execute(insert(target), [dict(zip(cols, v)) for v in rows])
            return
        # SQLite: the compiled INSERT with plain tuples, straight to the driver's executemany.
        sql = self.sql_cache.get(spec.name)
        if sql is None:
            sql = (f'INSERT INTO "{spec.name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                   f'VALUES ({", ".join("?" * len(cols))})')
            self.sql_cache[spec.name] = sql
        self.s.connection().exec_driver_sql(sql, rows)

    def _is_fresh(self, spec) -> bool:
        t = spec.table
        return self.s.execute(select(t.c.id).where(t.c.school_code == self.school_code).limit(1)).first() is None

    def _note(self, spec, a: dict, lost: list[tuple]) -> None:
        if lost and self.keep_history:
            self.merged.append((spec.name, a["id"], [x for x in lost if x[0] not in fmt.SECRET_COLUMNS]))

    def _existing(self, spec, ids: list[str]) -> dict:
        """id → (school, cells as in a bundle, deleted) of the stored rows among ``ids``."""
        t = spec.table
        out = {}
        for row in self.s.execute(select(*[t.c[n] for n in spec.names], t.c.deleted).where(t.c.id.in_(ids))):
            cells = [fmt.encode_cell(v) for v in row[:-1]]
            out[cells[0]] = (cells[1], cells, bool(row[-1]))
        return out

    # references ----------------------------------------------------------------

    def _check_refs(self, spec, chunk: list[_Item], file: str) -> None:
        for i, col in enumerate(spec.columns):
            if col.ref_table is None:
                continue
            if col.ref_table == "term":
                self._ensure_terms(chunk, i, file, col.name)
                continue
            self._require(col.ref_table, chunk, i, file, col.name)
        if spec.name == "evidence":
            ti, oi = spec.names.index("owner_type"), spec.names.index("owner_id")
            for owner_type, table in fmt.EVIDENCE_OWNER_TABLES.items():
                part = [it for it in chunk if it.cells[ti] == owner_type]
                if part:
                    self._require(table, part, oi, file, "owner_id", remember=False)

    def _require(self, table: str, chunk: list[_Item], i: int, file: str, column: str, remember: bool = True) -> None:
        known = self.known.setdefault(table, set())
        wanted = {it.values[i] for it in chunk if it.values[i] is not None} - known
        if not wanted:
            return
        t = fmt.SPEC_BY_NAME[table].table
        found = set(self.s.scalars(select(t.c.id).where(t.c.id.in_(wanted), t.c.school_code.in_([self.school_code, ""]))))
        if remember:
            known |= found
        for it in chunk:
            v = it.values[i]
            if v is not None and v in wanted and v not in found:
                raise _reject(f"{file}：引用的记录不存在（{table} {v}）",
                              f"{file}: refers to a record that does not exist ({table} {v})",
                              field=file, row=it.line, column=column, value=v)

    def _ensure_terms(self, chunk: list[_Item], i: int, file: str, column: str) -> None:
        from ..services import terms

        known = self.known.setdefault("term", set())
        for it in chunk:
            code = it.values[i]
            if code is None or code in known:
                continue
            try:
                terms.parse_term_code(code)
                if terms.normalise_term_code(code) != code:
                    raise ValueError(code)
            except (GrowthDeskError, ValueError):
                raise _reject(f"{file}：学期代码无效：{code[:20]}", f"{file}: invalid term code {code[:20]!r}",
                              field=file, row=it.line, column=column, value=code)
            if self.s.get(Term, code) is None:
                terms.ensure_term(self.s, code)
            known.add(code)

    def _remember(self, spec, chunk: list[_Item]) -> None:
        # Rows of a parent table are known to exist once applied (or kept as newer).
        if spec.name in self.known:
            self.known[spec.name].update(it.cells[0] for it in chunk)

    def _tick(self, n: int, text: str) -> None:
        self.done_rows += n
        if self.progress:
            self.progress(self.done_rows, self.total_rows, text)
        if self.pause and self.done_rows * 2 >= self.total_rows:  # halfway through the writes
            self._test_pause()

    def _test_pause(self) -> None:
        seconds, _, marker = self.pause.partition(":")
        self.pause = ""
        if marker:
            Path(marker).write_text("applying", encoding="utf-8")
        time.sleep(float(seconds))


def _versions_of(cells: dict, deleted: bool, fields: list[str]) -> dict:
    """A copy's parsed versions; a row of an older version (``versions`` "") reads as one
    version made at its ``updated_at`` (its tombstone flag then dated the same)."""
    clock = int(cells["clock"] or 0)
    if cells["versions"]:
        return hlc.parse(cells["versions"], clock, 0)
    v = hlc.parse("", clock, hlc.to_us(datetime.fromisoformat(cells["updated_at"])))
    if deleted:
        v[hlc.DELETED] = v[hlc.CREATED] + [1]
    return v


def _apply_rows(applier: _Applier, zf: zipfile.ZipFile, doc: dict) -> None:
    tombs = _Tombstones(zf, applier.absent)
    for spec in fmt.SPECS:
        applier.table(spec, tombs.take(spec), True, fmt.DELETIONS)
        if spec.csv_name not in doc["files"]:  # a table newer than the sender's version (fmt.LATER_TABLES)
            continue
        absent = applier.absent.setdefault(spec.name, set())
        n = applier.table(spec, _csv_rows(zf, spec.csv_name, spec.names, fmt.optional_columns(spec.name), absent),
                          False, spec.csv_name)
        if n != doc["files"][spec.csv_name]["rows"]:
            raise _reject(f"{spec.csv_name} 的行数（{n}）与清单（{doc['files'][spec.csv_name]['rows']}）不符",
                          f"{spec.csv_name} has {n} rows; the manifest says {doc['files'][spec.csv_name]['rows']}",
                          field=spec.csv_name)
    if tombs.head is not None:
        raise _reject("deletions.csv 没有按表的顺序排列", "deletions.csv is not in table order", field=fmt.DELETIONS,
                      row=tombs.head[0])
    if tombs.count != doc["files"][fmt.DELETIONS]["rows"]:
        raise _reject("deletions.csv 的行数与清单不符", "deletions.csv's row count differs from the manifest",
                      field=fmt.DELETIONS)


def _store_evidence(db: Database, zf: zipfile.ZipFile, doc: dict) -> None:
    """Content-addressed, so writing before the commit is safe: a rolled-back import leaves at
    most an unused copy of a file, never a record without its file."""
    folder = evidence_dir(db.path)
    for sha in doc["evidence"]:
        dest = folder / sha[:2] / sha
        if dest.exists():
            continue
        from ..services.evidence import write_evidence  # sealed beside an encrypted database
        with zf.open(fmt.FILES_PREFIX + sha) as src:
            write_evidence(db, sha, src.read())


# ---------------------------------------------------------------- one bundle

def _previous(s, school: str, sequence: int) -> ImportLog | None:
    return s.scalars(select(ImportLog).where(ImportLog.school_code == school, ImportLog.sequence == sequence,
                                             ImportLog.result == "imported").limit(1)).first()


def _duplicate_or_conflict(prev: ImportLog | None, file_sha: str, doc: dict) -> bool:
    if prev is None:
        return False
    if prev.file_sha256 != file_sha:
        if _same_manifest(prev, doc):
            raise _reject(f"序号 {doc['sequence']} 的数据包已经导入过（{prev.file_name}）；这个副本与导入时的文件不同，"
                          "是损坏或被改动的副本；未做任何改动，无需再导入",
                          f"bundle {doc['sequence']} was already imported ({prev.file_name}); this copy differs from "
                          "the file imported then: it is a damaged or altered copy; nothing changed, no need to "
                          "import it again", field="file", value=doc["sequence"])
        raise SequenceReused(
            f"序号 {doc['sequence']} 已由另一个内容不同的数据包导入过（{prev.file_name}）：发送方的数据库可能从较早的备份"
            "恢复过。请在本校载入本次回执（bundle receipt）后执行“完整导出”（会自动换用新的序号段），再重新发送",
            f"sequence {doc['sequence']} was already imported from a different bundle ({prev.file_name}): the sender's "
            "database was probably restored from an older backup. Load this receipt at the school (bundle receipt), "
            "then make a full export there (it takes a fresh block of sequence numbers) and send it again", field="sequence", value=doc["sequence"])
    return True


def _reserve_usn(s) -> int:
    """One more usn in this transaction (the ``usn`` setting moves on by one)."""
    from ..models import Setting

    row = s.get(Setting, "usn")
    row.value = str(int(row.value) + 1)
    s.flush()
    return int(row.value)


def _same_manifest(prev: ImportLog, doc: dict) -> bool:
    """The logged bundle and this one describe the same export (a copy of it, not a new one)."""
    try:
        logged = json.loads(prev.counts_json or "{}")
    except json.JSONDecodeError:
        return False
    keys = ("usn_from", "usn_to", "full", "created_at")
    if not (isinstance(logged, dict) and all(k in logged for k in keys) and all(logged[k] == doc.get(k) for k in keys)):
        return False
    # A re-export of other rows can share the usn range and the second it was made in: the
    # contents (the manifest's CSV hashes) must match too. Logs written before this have no digest.
    return logged.get("files_digest", _files_digest(doc)) == _files_digest(doc)


def _lock(s, db: Database, school: str) -> int:
    """Take this transaction's usn first: on SQLite that write takes the database's write lock,
    so the duplicate check below and the apply see no other import in between. PostgreSQL also
    locks the school's row, so two imports for one school run one after the other."""
    usn = next_usn(s)
    s.flush()
    if db.engine.dialect.name != "sqlite":
        s.execute(select(School.code).where(School.code == school).with_for_update())
    return usn


def _files_digest(doc: dict) -> str:
    """One hash over the manifest's per-CSV hashes: what the bundle holds, whatever the zip around it."""
    return hashlib.sha256(json.dumps(doc.get("files") or {}, sort_keys=True).encode()).hexdigest()


def _log_details(doc: dict, counts: dict, **extra) -> str:
    return json.dumps({"counts": counts, "full": doc.get("full"), "usn_from": doc.get("usn_from"),
                       "usn_to": doc.get("usn_to"), "created_at": doc.get("created_at"),
                       "files_digest": _files_digest(doc), **extra}, ensure_ascii=False, sort_keys=True)


def _write_log(db: Database, user: str, path: Path, file_sha: str, doc: dict | None, result: str, message: str,
               counts: dict | None = None, **extra) -> None:
    with db.session(user=user) as s:
        s.info["untracked"] = True  # a log row about the import is not itself a change to track
        sender = (doc or {}).get("_sender") or (doc or {}).get("school_code")
        s.add(ImportLog(school_code=sender[:40] if isinstance(sender, str) else "", sequence=(doc or {}).get("sequence") if isinstance((doc or {}).get("sequence"), int)
                        else None, file_name=path.name[:255], file_sha256=file_sha, imported_by=user,
                        result=_LOG_RESULT[result], counts_json=_log_details(doc, counts or {}, **extra) if doc else "{}",
                        message=message))


def _require_district(db: Database) -> None:
    if db.kind not in ("district", "school"):
        raise DatabaseError(f"只能导入到区级或学校数据库（这是：{db.kind or '未初始化'}）",
                            f"bundles are imported into a district or school database (this is: "
                            f"{db.kind or 'uninitialised'})", field="db", value=db.kind)


def _apply_school(db: Database, s, zf: zipfile.ZipFile, doc: dict) -> dict:
    """``school.json`` (accounts, assignments, terms, rubric): only from this workstation's own
    hub, only in a sealed bundle (checked by the caller: ``sealed``), only into a workstation."""
    from . import schoolwide

    if schoolwide.MEMBER not in doc.get("extras", {}):
        return {}
    from .nodes import PARENT_NODE_ID, NODE_ROLE

    if (db.settings.get(NODE_ROLE) != "workstation" or doc["_sender"] != db.settings.get(PARENT_NODE_ID)
            or not doc.get("_sealed")):
        raise _reject("只有本校主机发给本工作站的加密数据包可以带账号和学期等本校资料",
                      "only a sealed bundle from this workstation's own hub may carry the school's accounts and terms",
                      field="extras")
    try:
        with zf.open(schoolwide.MEMBER) as fh:
            data = fh.read(schoolwide.MAX_BYTES + 1)
        return schoolwide.apply(s, data)
    except schoolwide.Invalid as exc:
        raise _reject(f"本校资料（school.json）无效：{exc}", f"the school's data (school.json) is invalid: {exc}",
                      field=schoolwide.MEMBER) from None


# Extra members a bundle may hold besides its CSVs (all only inside one school, sealed):
# school.json (hub → workstation), accounts.json (workstation → hub), student_numbers.json (both
# ways), foreign.json (hub → workstation). See sync.schoolwide and sync.forward.
EXTRA_MEMBERS = {"school.json", "accounts.json", "student_numbers.json", "foreign.json"}


def _apply_within_school(db: Database, s, zf: zipfile.ZipFile, doc: dict, usn: int) -> dict:
    """The members only a school's own PCs exchange: passwords changed on a workstation (to its
    hub), 学籍号 (both ways) and other owners' rows (hub → workstation); see ``sync.forward``."""
    from . import forward, schoolwide
    from .nodes import NODE_ROLE, PARENT_NODE_ID

    names = set(doc.get("extras", {})) - {schoolwide.MEMBER}
    if not names:
        return {}
    role, sender = db.settings.get(NODE_ROLE), doc["_sender"]
    from_hub = role == "workstation" and sender == db.settings.get(PARENT_NODE_ID)
    from_ws = role == "hub" and sender != db.school_code and sender.startswith(db.school_code + "-")
    allowed = {forward.NUMBERS_MEMBER} | ({forward.FOREIGN_MEMBER} if from_hub else set()) | \
        ({schoolwide.ACCOUNTS_MEMBER} if from_ws else set())
    if not doc.get("_sealed") or not (from_hub or from_ws) or names - allowed:
        raise _reject("只有本校主机与本校工作站之间的加密数据包可以带学籍号、密码或转发的记录",
                      "only sealed bundles between this school's hub and its workstations may carry national student "
                      "numbers, passwords or forwarded records", field="extras")
    out: dict = {}
    for name in sorted(names):
        try:
            with zf.open(name) as fh:
                data = fh.read(schoolwide.MAX_BYTES + 1)
            if name == schoolwide.ACCOUNTS_MEMBER:
                out["passwords"] = schoolwide.apply_accounts(s, data)
                observe_clock(s, out["passwords"].pop("max_clock"))
            elif name == forward.FOREIGN_MEMBER:
                out["forwarded"] = forward.apply_foreign(s, data, db.school_code, usn)
            else:
                out["student_numbers"] = forward.apply_numbers(s, data, authoritative=from_hub)
        except (schoolwide.Invalid, forward.Invalid) as exc:
            raise _reject(f"{name} 无效：{exc}", f"{name} is invalid: {exc}", field=name) from None
    return out


def _audit_merges(s, applier: "_Applier", db: Database) -> None:
    """On a school's databases (hub, workstations) a merge that set aside a different value of a
    field keeps that value in the record's history (``audit_log``, action ``sync-merge``)."""
    if db.kind != "school":
        return
    from ..models import AuditLog, utcnow

    for table, rid, lost in applier.merged:
        before = {f: loser for f, loser, _ in lost}
        after = {f: winner for f, _, winner in lost}
        s.add(AuditLog(at=utcnow(), user=s.info.get("user", ""), action="sync-merge", table_name=table,
                       record_id=rid, before_json=json.dumps(before, ensure_ascii=False, sort_keys=True),
                       after_json=json.dumps(after, ensure_ascii=False, sort_keys=True)))


def _apply(db: Database, zf, doc: dict, file_sha: str, path: Path, user: str, dry_run: bool,
           progress: Progress | None) -> tuple[str, dict]:
    with db.session(user=user) as s:
        usn = _lock(s, db, doc["school_code"])
        if _duplicate_or_conflict(_previous(s, doc["_sender"], doc["sequence"]), file_sha, doc):
            s.rollback()
            return DUPLICATE, {}
        applier = _Applier(s, doc["school_code"], usn, db.engine.dialect.name == "sqlite", progress,
                           total_rows=sum(m["rows"] for m in doc["files"].values()), keep_history=db.kind == "school",
                           source=str(doc.get("_sender") or ""))
        if db.kind == "school":
            # Rows stored just as the sender sent them get ``usn`` (the "echo usn": exporting back
            # to that sender skips them); rows merged into something new get the next usn.
            applier.merged_usn = _reserve_usn(s)
        applier.known.update({name: set() for name in ("school_class", "student", "competition",
                                                      "innovation_project", "competition_result")})
        if applier.raw:
            # A bigger page cache for this connection while the bundle goes in (index pages stay hot).
            s.connection().exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        try:
            _apply_rows(applier, zf, doc)
            observe_clock(s, applier.max_clock)
            doc["_school"] = _apply_school(db, s, zf, doc)
            if doc["_school"]:
                observe_clock(s, doc["_school"].pop("max_clock", 0))
            doc["_school"].update(_apply_within_school(db, s, zf, doc, applier.merged_usn or usn))
        except (IntegrityError, DataError) as exc:
            detail = str(exc.orig).splitlines()[0][:200] if exc.orig is not None else type(exc).__name__
            if "FOREIGN KEY" in detail.upper():
                raise _reject(f"数据与本区数据库的约束冲突（{detail}）；如有更早的数据包未导入，请先导入它",
                              f"the data conflicts with a constraint of the district database ({detail}); if an "
                              "earlier bundle is missing, import it first", field="file") from None
            raise _reject(f"数据包中有超出允许范围的值（{detail}），数据包不是本软件生成的或已损坏",
                          f"the bundle holds a value out of the allowed range ({detail}); it was not made by "
                          "GrowthDesk or is damaged", field="file") from None
        counts = {name: c.as_dict() for name, c in applier.counts.items()}
        if applier.held:
            counts["held_back"] = {"rows": applier.held}  # 综评 freeze: see held_change (issue 15)
        older = sorted(name for name, cols in applier.absent.items() if cols & fmt.REVIEW_DEFAULTS.keys())
        if older:  # a node before 0010: its records read as approved entries of unknown provenance
            counts["older_version"] = {"review_columns_filled": older,
                                       "tables_absent": sorted(n for n in fmt.LATER_TABLES
                                                               if fmt.SPEC_BY_NAME[n].csv_name not in doc["files"])}
        if dry_run:
            s.rollback()
            return IMPORTED, counts
        _store_evidence(db, zf, doc)
        _audit_merges(s, applier, db)
        s.add(ImportLog(school_code=doc["_sender"], sequence=doc["sequence"], file_name=path.name[:255],
                        file_sha256=file_sha, imported_by=user, result="imported",
                        counts_json=_log_details(doc, counts, **({"echo_usn": usn} if applier.merged_usn else {})),
                        message=""))
    return IMPORTED, counts


FORMAT1_NOTICE = {"zh": "格式1数据包，下一版本将不再接受", "en": "format-1 bundle: the next version will no longer accept it"}


def import_bundle(db: Database, path: str | Path, *, dry_run: bool = False, user: str = "",
                  receipts_dir: str | Path | None = None, progress: Progress | None = None) -> dict:
    """Import one bundle file. Never raises for a bad bundle: the result says ``rejected`` and why.

    A sealed format-2 bundle (``.gdbundle``) is opened first (``sealed.open_bundle``: addressed
    here, from a known and not revoked peer, signature, decryption); a format-1 bundle
    (``.gdbundle.zip``) is still taken by a district for one release, and the result says so
    (``format`` 1 and ``notice``). The rows are another node's, signed by it: they go in as the
    system (``access.as_system``), not checked against the account that runs the round here."""
    from ..services.access import as_system
    with as_system():
        return _import_bundle(db, path, dry_run=dry_run, user=user, receipts_dir=receipts_dir, progress=progress)


def _import_bundle(db: Database, path: str | Path, *, dry_run: bool, user: str, receipts_dir, progress) -> dict:
    _require_district(db)
    path = Path(path)
    from . import sealed as envelope

    if path.name.endswith(envelope.SUFFIX) or envelope.is_sealed(path):
        return _import_sealed(db, path, dry_run=dry_run, user=user, receipts_dir=receipts_dir, progress=progress)
    result = _result(path, dry_run)
    result["format"] = 1
    if db.kind == "district":
        result["notice"] = dict(FORMAT1_NOTICE, message=f"{FORMAT1_NOTICE['zh']} ({FORMAT1_NOTICE['en']})")
    file_sha = ""
    try:
        if not path.is_file():
            raise _reject(f"找不到文件：{path}", f"file not found: {path}", field="file", value=str(path))
        file_sha = _sha256_file(path)
        with _open_zip(path) as zf:
            return _import_zip(db, zf, path, file_sha, result, dry_run=dry_run, user=user,
                               receipts_dir=receipts_dir, progress=progress)
    except Rejected as exc:
        return _rejected(db, result, exc, path, file_sha, None, dry_run, user, receipts_dir)


def _result(path: Path, dry_run: bool) -> dict:
    return {"file": path.name, "path": str(path), "status": REJECTED, "dry_run": dry_run, "school_code": None,
            "sequence": None, "reason": None, "counts": {}, "receipt": None}


def _rejected(db: Database, result: dict, exc: Rejected, path: Path, file_sha: str, doc, dry_run: bool,
              user: str, receipts_dir=None, sealed: bool = False) -> dict:
    result["reason"] = exc.to_dict() | {"message": str(exc)}
    if not dry_run:
        _write_log(db, user, path, file_sha, doc, REJECTED, str(exc),
                   **({"sequence_reused": True} if isinstance(exc, SequenceReused) else {}))
        if isinstance(exc, SequenceReused) and doc is not None:  # signed by the sender: tell it what to do
            from .receipts import write_receipt
            result["receipt"] = write_receipt(db, doc, file_sha, REJECTED, {}, receipts_dir or path.parent,
                                              full_required=True, sealed=sealed)
    return result


def _import_sealed(db: Database, path: Path, *, dry_run: bool, user: str, receipts_dir, progress) -> dict:
    from . import sealed as envelope

    result = _result(path, dry_run)
    result.update(format=2, sender=None)
    try:
        opened = envelope.open_bundle(db, path)
    except Rejected as exc:
        header = envelope.peek_header(path)
        if header:
            result.update(sender=str(header.get("sender"))[:40], sequence=header.get("sequence"))
        return _rejected(db, result, exc, path, "", None, dry_run, user)
    try:
        result.update(sender=opened.header["sender"], sequence=opened.sequence, kind=opened.kind)
        if not dry_run:
            envelope.accept(db, opened, user=user)
        if opened.kind == "district":
            from .publish import apply_district_bundle
            return apply_district_bundle(db, opened, result, dry_run=dry_run, user=user, progress=progress)
        try:
            payload = opened.payload
            if db.kind == "district":
                from .personkey import derive_person_keys
                payload = derive_person_keys(payload, db.settings.get("person_key_secret", ""))
            zf = zipfile.ZipFile(payload)
        except zipfile.BadZipFile:
            raise _reject("数据包内容已损坏（不是 zip）", "the bundle's content is damaged (not a zip)", field="file")
        with zf:
            return _import_zip(db, zf, path, opened.file_sha256, result, dry_run=dry_run, user=user,
                               receipts_dir=receipts_dir, progress=progress, sealed=opened)
    except Rejected as exc:
        return _rejected(db, result, exc, path, opened.file_sha256, None, dry_run, user, receipts_dir, True)
    finally:
        opened.close()


def _import_zip(db: Database, zf: zipfile.ZipFile, path: Path, file_sha: str, result: dict, *, dry_run: bool,
                user: str, receipts_dir, progress, sealed=None) -> dict:
    doc = None
    try:
        doc = _check_manifest(db, zf, sealed)
        result.update(school_code=doc["school_code"], sequence=doc["sequence"])
        _check_members(zf, doc)
        with db.session() as s:
            duplicate = _duplicate_or_conflict(_previous(s, doc["_sender"], doc["sequence"]), file_sha, doc)
        if not duplicate:
            _check_hashes(zf, doc)
            try:
                status, counts = _apply(db, zf, doc, file_sha, path, user, dry_run, progress)
            except OperationalError as exc:  # not the bundle's fault: nothing was changed, try again
                raise DatabaseError("区级数据库正忙（可能有另一个导入在进行），未做任何改动，请稍后再试",
                                    "the district database is busy (another import running?); nothing was "
                                    f"changed, try again later ({str(exc.orig)[:80]})", field="db") from None
        else:
            status, counts = DUPLICATE, {}
    except Rejected as exc:
        return _rejected(db, result, exc, path, file_sha, doc, dry_run, user, receipts_dir, sealed is not None)
    result.update(status=status, counts=counts)
    if doc.get("_school"):
        result["school"] = doc["_school"]  # accounts, assignments, terms, rubrics taken from the hub
    if status == DUPLICATE:
        result["reason"] = {"zh": "该数据包已经导入过，未做任何改动", "en": "this bundle was already imported; nothing changed",
                            "message": "该数据包已经导入过，未做任何改动 (this bundle was already imported; nothing changed)"}
        if not dry_run:
            _write_log(db, user, path, file_sha, doc, DUPLICATE, result["reason"]["message"])
    from .receipts import coverage, imported_bundles
    result["gaps"] = coverage(imported_bundles(db, doc["_sender"]).get(doc["_sender"], []))["gaps"]
    if not dry_run:
        from .receipts import write_receipt
        result["receipt"] = write_receipt(db, doc, file_sha, status, counts, receipts_dir or path.parent,
                                          sealed=sealed is not None)
        if result["receipt"] is None:
            result["receipt_error"] = "回执无法写入该文件夹（只读？）；请用 --receipts 指定文件夹 " \
                                      "(the receipt could not be written there; use --receipts DIR)"
    return result


def import_bundles(db: Database, paths, *, dry_run: bool = False, user: str = "",
                   receipts_dir: str | Path | None = None, progress: Progress | None = None,
                   refresh_summary: bool = True) -> dict:
    """Import several bundles (files, or folders holding ``*.gdbundle.zip``) in name order, i.e. in
    sequence order per school (any order converges; this is just tidier).

    ``refresh_summary=False`` leaves the statistics' summary cells to the caller (the CLI refreshes
    them in a background process so the person importing does not wait for them)."""
    files: list[Path] = []
    for p in map(Path, paths):  # a folder (a USB stick) stands for the bundles in it
        files.extend(sorted([*p.glob("*" + fmt.BUNDLE_SUFFIX), *p.glob("*.gdbundle")]) if p.is_dir() else [p])
    results = [import_bundle(db, p, dry_run=dry_run, user=user, receipts_dir=receipts_dir, progress=progress)
               for p in sorted(files, key=lambda p: p.name)]
    summary = {k: sum(1 for r in results if r["status"] == k) for k in (IMPORTED, DUPLICATE, REJECTED)}
    if summary[IMPORTED] and not dry_run and refresh_summary and db.kind == "district":  # summary cells (issue 7)
        from ..stats.summary import refresh_after_import
        refresh_after_import(db, user=user)
    out = {"dry_run": dry_run, "bundles": results, "summary": summary}
    old = sum(1 for r in results if r.get("format") == 1 and r.get("notice") and r["status"] != REJECTED)
    if old:  # said once for the batch as well as on each bundle
        out["notice"] = {"format1_bundles": old, **FORMAT1_NOTICE,
                         "message": f"{old} 个{FORMAT1_NOTICE['zh']} ({old} {FORMAT1_NOTICE['en']})"}
    return out
