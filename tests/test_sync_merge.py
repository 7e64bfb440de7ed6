"""Many PCs, one school (issue 11) and wrong clocks (issue 13): a hub and workstations exchange
bundles through the import/export API; edits merge field by field, a true conflict resolves the
same way everywhere and stays in the history, deletions win only over earlier edits, and a PC
whose clock stood in the future cannot pin a record."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from growthdesk import hlc
from growthdesk.db import open_database, write_settings
from growthdesk.models import AuditLog, Student
from growthdesk.sync import IMPORTED, REJECTED, export_bundle, import_bundle
from growthdesk.sync.testing import make_district_and_school, records, repack

HUB = "S0001"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("merge-template")
    district, school, setup = make_district_and_school(folder, students=6, terms=1)
    district.close()
    school.close()
    (folder / "key").write_text(setup["sync_key"], encoding="utf-8")
    return folder


class School:
    """A hub and its workstations on disk (a workstation starts as a copy of the hub)."""

    def __init__(self, template: Path, folder: Path, workstations: int) -> None:
        self.folder = folder
        shutil.copy(template / "S0001.db", folder / "hub.db")
        shutil.copy(template / "district.db", folder / "district.db")
        self.key = (template / "key").read_text(encoding="utf-8")
        self.hub = open_database(folder / "hub.db")
        self.district = open_database(folder / "district.db")
        self.ws = []
        for i in range(1, workstations + 1):
            path = folder / f"w{i}.db"
            shutil.copy(template / "S0001.db", path)
            db = open_database(path)
            with db.session() as s:
                write_settings(s, {"node_id": f"{HUB}-W{i:02d}"})
            db.reload_settings()
            self.ws.append(db)
        self.n = 0

    def close(self) -> None:
        for db in [self.hub, self.district, *self.ws]:
            db.close()

    def _move(self, src, dst, peer: str) -> dict:
        self.n += 1
        res = export_bundle(src, self.folder / f"x{self.n}", peer=peer)
        out = import_bundle(dst, res["path"])
        assert out["status"] == IMPORTED, out["reason"]
        return out

    def up(self, w) -> dict:
        return self._move(w, self.hub, HUB)

    def down(self, w) -> dict:
        return self._move(self.hub, w, w.node_id)

    def sync(self, w) -> None:
        self.up(w)
        self.down(w)

    def settle(self) -> None:
        for w in self.ws:
            self.up(w)
        for w in self.ws:
            self.down(w)


@pytest.fixture()
def school(template, tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    sch = School(template, tmp_path, 3)
    yield sch
    sch.close()


def student_ids(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Student.id).order_by(Student.id)))


def edit(db, sid: str, **changes) -> None:
    from growthdesk.services import students

    with db.session(user=db.node_id) as s:
        students.update_student(s, sid, **changes)


def delete(db, sid: str) -> None:
    from growthdesk.services import students

    with db.session(user=db.node_id) as s:
        students.delete_student(s, sid)


def student(db, sid: str) -> Student:
    with db.session() as s:
        st_ = s.get(Student, sid)
        s.expunge(st_)
    return st_


def same_everywhere(sch: School) -> dict:
    want = records(sch.hub, HUB)
    for w in sch.ws:
        assert records(w, HUB) == want, w.node_id
    return want


def test_edits_of_different_fields_on_two_pcs_both_survive(school):
    sid = student_ids(school.hub)[0]
    w1, w2, _ = school.ws
    edit(w1, sid, name="一号机改名")
    edit(w2, sid, note="二号机的备注")
    school.settle()
    same_everywhere(school)
    for db in [school.hub, *school.ws]:
        st_ = student(db, sid)
        assert (st_.name, st_.note) == ("一号机改名", "二号机的备注"), db.node_id
    # ... and at the district, after the hub sends its bundle up.
    res = import_bundle(school.district, export_bundle(school.hub, school.folder / "up")["path"])
    assert res["status"] == IMPORTED, res["reason"]
    assert (student(school.district, sid).name, student(school.district, sid).note) == ("一号机改名", "二号机的备注")


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_a_true_conflict_resolves_the_same_way_in_any_order_and_the_loser_is_in_the_history(school, order):
    sid = student_ids(school.hub)[1]
    w1, w2, _ = school.ws
    edit(w1, sid, name="甲版本")
    edit(w2, sid, name="乙版本")  # later: its clock is larger
    for i in order:
        school.up(school.ws[i])
    school.settle()
    same_everywhere(school)
    assert student(school.hub, sid).name == "乙版本"
    with school.hub.session() as s:
        history = [(json.loads(a.before_json or "{}"), json.loads(a.after_json or "{}"))
                   for a in s.scalars(select(AuditLog).where(AuditLog.action == "sync-merge", AuditLog.record_id == sid))]
    assert any(b.get("name") == "甲版本" and a.get("name") == "乙版本" for b, a in history), history
    with w1.session() as s:  # the PC whose edit lost sees it in the record's history too
        assert s.scalar(select(AuditLog.before_json).where(AuditLog.action == "sync-merge",
                                                           AuditLog.record_id == sid)) is not None


def test_a_deletion_wins_over_earlier_edits_not_over_later_ones(school):
    a, b = student_ids(school.hub)[2:4]
    w1, w2, _ = school.ws
    edit(w2, a, note="删除之前的修改")
    delete(w1, a)          # after w2's edit: the deletion wins
    delete(w1, b)
    edit(w2, b, note="删除之后的修改")  # after the deletion: the record lives on, with this edit
    school.settle()
    same_everywhere(school)
    assert student(school.hub, a).deleted is True
    after = student(school.hub, b)
    assert after.deleted is False and after.note == "删除之后的修改"


def test_replayed_and_out_of_order_bundles_keep_a_deletion(school):
    sid = student_ids(school.hub)[4]
    w1 = school.ws[0]
    first = export_bundle(w1, school.folder / "a", peer=HUB)
    delete(w1, sid)
    second = export_bundle(w1, school.folder / "b", peer=HUB)
    assert import_bundle(school.hub, second["path"])["status"] == IMPORTED
    assert import_bundle(school.hub, first["path"])["status"] == IMPORTED  # older, arrives late
    assert student(school.hub, sid).deleted is True


def test_demo_never_stamps_the_future_so_a_deletion_today_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path, students=0)
    try:
        from growthdesk.demo import fill_demo
        fill_demo(school, students=30, terms=1, seed=3, today=date.today())
        limit = hlc.from_us(hlc.wall_us())
        with school.engine.connect() as c:
            latest = c.execute(text("SELECT max(updated_at) FROM student")).scalar()
        assert str(latest) <= limit.isoformat(sep=" ")
        first = export_bundle(school, tmp_path / "o1")
        sid = student_ids(school)[0]
        delete(school, sid)
        second = export_bundle(school, tmp_path / "o2")
        assert import_bundle(district, second["path"])["status"] == IMPORTED
        assert import_bundle(district, first["path"])["status"] == IMPORTED
        assert student(district, sid).deleted is True
    finally:
        district.close()
        school.close()


def test_a_bundle_from_a_clock_in_2099_is_refused_and_says_why(school):
    w1 = school.ws[0]
    sid = student_ids(w1)[0]
    edit(w1, sid, name="未来")
    good = export_bundle(w1, school.folder / "f", peer=HUB)["path"]
    future = hlc.to_us(hlc.from_us(0).replace(year=2099))

    def to_2099(name, data):
        if name != "student.csv":
            return None
        from growthdesk.sync.testing import parse_csv, write_csv
        rows = parse_csv(data)
        h = rows[0]
        for r in rows[1:]:
            if r[0] == sid:
                v = json.loads(r[h.index("versions")])
                v["name"][0] = future
                r[h.index("versions")] = json.dumps(v)
                r[h.index("clock")] = str(future)
                r[h.index("updated_at")] = "2099-01-01T08:00:00.000000"
        return write_csv(rows)

    bad = repack(Path(good), school.folder / "bad.gdbundle.zip", school.key, edit=to_2099)
    before = records(school.hub, HUB)
    res = import_bundle(school.hub, bad)
    assert res["status"] == REJECTED
    assert "2099" in res["reason"]["zh"] and "时钟" in res["reason"]["zh"] and "clock" in res["reason"]["en"]
    assert records(school.hub, HUB) == before
    nines = repack(Path(good), school.folder / "nines.gdbundle.zip", school.key,
                   edit=lambda n, d: d.replace(b"2026-", b"9999-", 1) if n == "student.csv" else None)
    assert import_bundle(school.hub, nines)["status"] == REJECTED


def test_a_pc_whose_clock_stood_in_2099_cannot_pin_a_record_and_a_later_real_edit_wins(school):
    w1, w2, _ = school.ws
    sid = student_ids(w1)[0]
    edit(w1, sid, name="时钟错乱时改的")
    # What a PC whose clock said 2099 leaves behind: that edit's clock and time, and its clock setting.
    future = hlc.to_us(hlc.from_us(0).replace(year=2099))
    with w1.engine.begin() as c:
        v = json.loads(c.execute(text("SELECT versions FROM student WHERE id = :i"), {"i": sid}).scalar())
        v["name"][0] = v["name_pinyin"][0] = future
        c.execute(text("UPDATE student SET clock = :c, versions = :v, updated_at = '2099-01-01 08:00:00.000000' "
                       "WHERE id = :i"), {"c": future, "v": json.dumps(v), "i": sid})
        c.execute(text("UPDATE gd_setting SET value = :c WHERE key = 'clock'"), {"c": str(future)})
    # The clock has been put right: the next export restamps that edit as made now.
    out = export_bundle(w1, school.folder / "w1", peer=HUB)
    assert out["clock_repaired"] == 1
    assert import_bundle(school.hub, out["path"])["status"] == IMPORTED
    assert student(school.hub, sid).name == "时钟错乱时改的"
    assert student(school.hub, sid).clock < hlc.wall_us() + hlc.MAX_SKEW_US
    school.down(w2)
    edit(w2, sid, name="之后真正的修改")  # a later real edit on another PC wins
    school.settle()
    same_everywhere(school)
    assert student(school.hub, sid).name == "之后真正的修改"
    edit(w1, sid, name="一号机再改")  # and w1's own next edit is not stamped 2099 either
    assert student(w1, sid).clock < hlc.wall_us() + hlc.MAX_SKEW_US
    school.settle()
    assert student(school.hub, sid).name == "一号机再改"


def test_a_workstation_bundle_is_refused_by_the_district(school):
    res = import_bundle(school.district, export_bundle(school.ws[0], school.folder / "w", peer=HUB)["path"])
    assert res["status"] == REJECTED and "工作站" in res["reason"]["zh"]


# ---------------------------------------------------------------- convergence (hypothesis)

FIELDS = {"name": ["张一", "王二", "李三"], "note": ["甲", "乙", "丙"], "gender": ["M", "F"]}
OPS = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 3), st.integers(0, 2), st.sampled_from(sorted(FIELDS)),
              st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("up"), st.integers(1, 3)),
    st.tuples(st.just("down"), st.integers(1, 3)),
), min_size=1, max_size=14)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_hub_and_three_workstations_converge_after_any_interleaving(template, tmp_path_factory, ops):
    sch = School(template, tmp_path_factory.mktemp("conv"), 3)
    try:
        nodes = [sch.hub, *sch.ws]
        ids = student_ids(sch.hub)[:3]
        for op in ops:
            if op[0] == "edit":
                _, n, i, f, v = op
                db = nodes[n]
                if not student(db, ids[i]).deleted:
                    edit(db, ids[i], **{f: FIELDS[f][v % len(FIELDS[f])]})
            elif op[0] == "delete":
                _, n, i = op
                db = nodes[n]
                if not student(db, ids[i]).deleted:
                    delete(db, ids[i])
            elif op[0] == "up":
                sch.up(sch.ws[op[1] - 1])
            else:
                sch.down(sch.ws[op[1] - 1])
        sch.settle()
        want = same_everywhere(sch)
        res = import_bundle(sch.district, export_bundle(sch.hub, sch.folder / "up")["path"])
        assert res["status"] == IMPORTED, res["reason"]
        assert records(sch.district, HUB) == want
    finally:
        sch.close()


# ---------------------------------------------------------------- the merge itself

VERSION = st.tuples(st.integers(1, 4), st.sampled_from(["A", "B", "C"]))
COPY = st.fixed_dictionaries({
    "cells": st.fixed_dictionaries({"x": st.sampled_from(["1", "2"]), "y": st.sampled_from(["1", "2"])}),
    "vx": VERSION, "vy": VERSION, "del": st.one_of(st.none(), st.tuples(VERSION, st.integers(0, 1)))})


def _copy(c) -> tuple[dict, dict]:
    cells = {"id": "r", "school_code": "S", "created_at": "2026-01-01T00:00:00.000000",
             "updated_at": "2026-01-01T00:00:00.000000", "updated_by": "", **c["cells"]}
    v = {hlc.CREATED: [0, ""], "x": list(c["vx"]), "y": list(c["vy"])}
    if c["del"]:
        v[hlc.DELETED] = list(c["del"][0]) + [c["del"][1]]
    # A version key names one change: its value is fixed by it (as on real databases).
    cells["x"] = str(hash(tuple(c["vx"])) % 3)
    cells["y"] = str(hash(tuple(c["vy"])) % 3)
    return cells, v


def _m(p, q):
    cells, v, _ = hlc.merge(["x", "y"], p[0], p[1], q[0], q[1])
    return cells, v


def _norm(p):
    cells, v = p
    created = v[hlc.CREATED]
    return cells, {k: e for k, e in v.items() if k in (hlc.CREATED, hlc.DELETED) or e != created}


@given(a=COPY, b=COPY, c=COPY)
def test_merge_is_commutative_associative_and_idempotent(a, b, c):
    a, b, c = _copy(a), _copy(b), _copy(c)
    assert _m(a, b) == _m(b, a)
    assert _m(_m(a, b), c) == _m(a, _m(b, c))
    assert _m(a, a) == _norm(a)
    # Field by field: each field holds the value of its larger version.
    ab = _m(a, b)
    for f in ("x", "y"):
        win = a if (tuple(a[1][f]), a[0][f]) >= (tuple(b[1][f]), b[0][f]) else b
        assert ab[0][f] == win[0][f]


def test_deleted_only_when_the_deletion_is_at_least_as_late_as_every_edit():
    v = {hlc.CREATED: [1, "A"], "x": [5, "B"], hlc.DELETED: [4, "A", 1]}
    assert hlc.deleted_of(v, ["x", "y"]) is False
    v[hlc.DELETED] = [6, "A", 1]
    assert hlc.deleted_of(v, ["x", "y"]) is True
    v[hlc.DELETED] = [7, "A", 0]  # restored after the deletion
    assert hlc.deleted_of(v, ["x", "y"]) is False


def test_the_clock_never_goes_back_and_ignores_a_future_it_was_put_right_from():
    now = 1_800_000_000_000_000
    assert hlc.tick(0, now) == now
    assert hlc.tick(now + 10, now) == now + 11                      # after what was seen, even if ahead
    assert hlc.tick(now + hlc.MAX_SKEW_US + 1, now) == now          # a clock that stood in 2099


def test_rows_a_node_took_unchanged_do_not_echo_back_to_their_sender(school):
    w1, w2, _ = school.ws
    ids = student_ids(school.hub)
    school.settle()  # every channel has sent its first (whole) bundle
    edit(w1, ids[0], note="一号机")
    assert school.up(w1)["counts"]["student"]["updated"] == 1
    down = export_bundle(school.hub, school.folder / "d", peer=w1.node_id)
    assert down["counts"]["student"] == 0  # w1's own edit is not sent back to it
    to_w2 = export_bundle(school.hub, school.folder / "d2", peer=w2.node_id)
    assert to_w2["counts"]["student"] == 1  # ... but it goes to the others
    assert import_bundle(w2, to_w2["path"])["status"] == IMPORTED
    back = export_bundle(w2, school.folder / "u2", peer=HUB)
    assert back["counts"]["student"] == 0  # nor does w2 send it back up
    # A merge that made something new goes back to everyone, the sender included.
    edit(w1, ids[1], name="甲名")
    edit(school.hub, ids[1], note="主机备注")
    school.up(w1)
    again = export_bundle(school.hub, school.folder / "d3", peer=w1.node_id)
    assert again["counts"]["student"] == 1
    assert import_bundle(w1, again["path"])["status"] == IMPORTED
    st_ = student(w1, ids[1])
    assert (st_.name, st_.note) == ("甲名", "主机备注")
