"""Issue 15, part 3: 遴选 → 公示 → 异议 → 签字 → 归档, walked through a whole term on the
services and the CLI, with the refusals (frozen records, late objections, early or blocked
sign-offs) leaving the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from growthdesk.errors import PermissionDenied, ValidationError
from growthdesk.models import ArchiveItem, Objection, SelfRecord
from growthdesk.services import _common, archive, competitions, review, self_records
from tests.dbdump import dump
from tests.zongping_fixtures import build, copy

TERM = "2026-2027-1"
AI = "be30a847-657d-5497-b722-be1a0a9f3b35"


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    path = tmp_path_factory.mktemp("zpa") / "t.db"
    return path, build(path)


@pytest.fixture()
def db(tmp_path, _template):
    d = copy(_template[0], _template[1], tmp_path / "s.db")
    yield d
    d.close()


class Clock:
    """The services' clock (``services._common.today``) set to a day of the term."""

    def __init__(self, monkeypatch):
        self.mp = monkeypatch

    def set(self, d: date) -> None:
        self.mp.setattr(_common, "today", lambda: d)


@pytest.fixture()
def clock(monkeypatch):
    return Clock(monkeypatch)


def approved_records(db):
    """Each junior student writes and gets approved one activity; 张三 and 李四 a team award."""
    jun = db.sample.junior
    ids = {}
    for i, sid in enumerate(jun):
        with db.session(user=db.sample.logins[sid]) as s:
            rid = self_records.create_self_record(s, student_id=sid, title=f"科技节志愿服务{i + 1}",
                                                  activity_date=date(2026, 10, 10), place="学校礼堂", hours=2,
                                                  role="志愿者", reflection="很有收获").id
            review.submit(s, "self_record", rid)
        ids[sid] = rid
    with db.session(user="wang") as s:  # a team award: entered by the teacher (a student account enters only its own)
        award = competitions.record_result(s, competition_id=AI, student_ids=jun[:2], level="district",
                                           award="second", award_date=date(2026, 10, 20)).id
    with db.session(user="wang") as s:
        review.approve(s, [(x.record_type, x.record_id) for x in review.review_queue(s)])
    return ids, award


def test_working_days_skip_weekends_and_the_schools_holidays(db):
    with db.session() as s:
        assert archive.publicity_end(s, date(2026, 11, 2)) == date(2026, 11, 13)
        archive.set_holidays(s, ["2026-11-05", "2026-11-09..2026-11-10"], extra_workdays=["2026-11-07"])
        assert archive.working_days(s, date(2026, 11, 2), date(2026, 11, 13)) == 8
        assert archive.publicity_end(s, date(2026, 11, 2)) == date(2026, 11, 17)
        with pytest.raises(ValidationError, match="日期无效"):
            archive.set_holidays(s, ["国庆"])


def test_the_whole_term(db, clock, tmp_path):
    jun = db.sample.junior
    cls = db.sample.junior_class
    clock.set(date(2026, 10, 30))
    ids, award = approved_records(db)

    # 遴选: by student, with counts
    with db.session(user="wang") as s:
        cands = archive.candidates(s, TERM, cls)
        assert [(c.name, len(c.records)) for c in cands] == [("李四", 2), ("王五", 1), ("张三", 2), ("赵六", 1)]
        picks = [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records]
        counts = archive.select_records(s, TERM, cls, picks)
        assert counts == {jun[0]: 2, jun[1]: 2, jun[2]: 1, jun[3]: 1}
    with db.session(user="zhao") as s, pytest.raises(PermissionDenied, match="班主任"):
        archive.select_records(s, TERM, cls, [])

    # 公示: ≥ 10 working days
    before = dump(db)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="只有 7 个工作日.*至少需要 10 个"):
        archive.open_publicity(s, TERM, cls, date(2026, 11, 2), date(2026, 11, 10))
    assert dump(db) == before
    clock.set(date(2026, 11, 2))
    with db.session(user="wang") as s:
        p = archive.open_publicity(s, TERM, cls, date(2026, 11, 2))
        assert (p.end_date, p.working_days) == (date(2026, 11, 13), 10)

    # frozen everywhere: student, teacher, adviser, selection
    before = dump(db)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="公示.*冻结"):
        self_records.update_self_record(s, ids[jun[2]], title="公示期间改")
    with db.session(user="admin") as s, pytest.raises(ValidationError, match="公示.*冻结"):
        competitions.update_result(s, award, award="first")
    with db.session(user="admin") as s, pytest.raises(ValidationError, match="公示.*冻结"):
        competitions.delete_result(s, award)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="公示已经开始"):
        archive.select_records(s, TERM, cls, [])
    assert dump(db) == before

    # the sheet: names and records only
    out = tmp_path / "sheet.pdf"
    import os
    import shutil
    cli_copy = tmp_path / "cli-copy.db"  # the CLI logs in (a database with accounts), which encrypts its file
    with db.engine.connect() as con:
        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db.path, cli_copy)
    from tests.zongping_fixtures import PASSWORD
    proc = subprocess.run([sys.executable, "-m", "growthdesk", "--user", "admin", "publicity", "sheet", "--db",
                           str(cli_copy), "--term", TERM, "--class", "初一(3)班", "--out", str(out), "--json"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GROWTHDESK_PASSWORD": PASSWORD, "GROWTHDESK_HOME": str(tmp_path / "h")})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["records"] == 6
    text = "".join(pg.extract_text() for pg in PdfReader(out).pages)
    assert "张三" in text and "科技节志愿服务1" in text and "全国青少年人工智能创新挑战赛" in text
    assert "2026年11月13日" in text
    with db.session() as s:
        from growthdesk.models import Student
        for st in s.query(Student).all():
            assert st.national_student_no not in text
            assert st.birth_date.isoformat() not in text and f"{st.birth_date.year}年" not in text
    for word in ("学籍号", "身份证", "出生", "住址", "得分", "排名"):
        assert word not in text

    # the class sees the list on a PC; another class does not
    with db.session(user=db.sample.logins[jun[3]]) as s:
        shown = archive.publicity_list(s, TERM, cls)
        assert len(shown) == 6 and {r.name for r in shown} == {"张三", "李四", "王五", "赵六"}
    with db.session(user=db.sample.logins[db.sample.senior[0]]) as s, pytest.raises(PermissionDenied, match="本班"):
        archive.publicity_list(s, TERM, cls)

    # objections: a classmate on a PC, a parent on paper
    with db.session() as s:
        items = {(it.student_id, it.record_id): it.id for it in s.query(ArchiveItem).all()}
    clock.set(date(2026, 11, 4))
    with db.session(user=db.sample.logins[jun[2]]) as s:
        o1 = archive.raise_objection(s, items[(jun[0], ids[jun[0]])], "这次活动张三只去了一个小时").id
        assert s.get(Objection, o1).raised_by == "classmate"
    with db.session(user=db.sample.logins[db.sample.senior[0]]) as s, \
            pytest.raises(PermissionDenied, match="本班"):
        archive.raise_objection(s, items[(jun[0], ids[jun[0]])], "别班同学")
    with db.session(user="wang") as s:
        o2 = archive.raise_objection(s, items[(jun[1], award)], "证书上的奖项是三等奖", raised_by="parent",
                                     raised_by_name="李四家长").id
        o3 = archive.raise_objection(s, items[(jun[3], ids[jun[3]])], "赵六那天请假了", raised_by="classmate").id

    # sign-off refused before the end
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="公示期到 2026年11月13日 才结束"):
        archive.sign_adviser(s, TERM, cls)

    # resolutions: corrected (past the freeze), kept, removed
    with db.session(user="wang") as s:
        archive.resolve_objection(s, o1, "corrected", "核实签到表，服务 1 小时", changes={"hours": 1})
        archive.resolve_objection(s, o2, "kept", "核对证书原件，确为二等奖")
        assert s.get(SelfRecord, ids[jun[0]]).hours == 1
        with pytest.raises(ValidationError, match="已经处理过"):
            archive.resolve_objection(s, o2, "removed", "再处理")

    # after the period: objections refused, sign-off refused while one is open
    clock.set(date(2026, 11, 16))
    before = dump(db)
    with db.session(user=db.sample.logins[jun[2]]) as s, pytest.raises(ValidationError, match="公示期已于.*结束"):
        archive.raise_objection(s, items[(jun[1], ids[jun[1]])], "太晚了")
    with db.session(user=db.sample.logins[jun[0]]) as s, pytest.raises(ValidationError, match="还有 1 条异议"):
        archive.confirm_student(s, TERM, jun[0])
    assert dump(db) == before
    with db.session(user="wang") as s:
        archive.resolve_objection(s, o3, "removed", "考勤记录显示当天请假")
        assert s.query(ArchiveItem).filter_by(student_id=jun[3]).one().removed

    # student confirms, adviser signs, principal signs the grade
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="还有学生没有确认"):
        archive.sign_adviser(s, TERM, cls)
    for sid in jun:
        with db.session(user=db.sample.logins[sid]) as s:
            archive.confirm_student(s, TERM, sid)
    with db.session(user=db.sample.logins[jun[1]]) as s, pytest.raises(PermissionDenied, match="本人"):
        archive.confirm_student(s, TERM, jun[0])
    with db.session(user="wang") as s:
        archive.sign_adviser(s, TERM, cls)
    with db.session(user="wang") as s, pytest.raises(PermissionDenied, match="学校管理员"):
        archive.sign_principal(s, TERM, 2026, 7)
    with db.session(user="admin") as s:
        archive.sign_principal(s, TERM, 2026, 7, signer_name="陈校长")
        assert archive.class_steps(s, TERM)[cls] == "locked"
        assert archive.class_steps(s, TERM)[db.sample.senior_class] == "recording"

    # locked: edits refused with the amendment hint; an amendment is kept beside the original
    before = dump(db)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="已签字归档.*更正"):
        self_records.update_self_record(s, ids[jun[2]], title="归档后改")
    assert dump(db) == before
    with db.session(user="wang") as s:
        archive.amend(s, "self_record", ids[jun[2]], "服务时长应为 3 小时", "补交的签到表显示为 3 小时")
        assert s.get(SelfRecord, ids[jun[2]]).hours == 2  # the original stays

    # the final portfolio: no watermark, sign-off dates, the amendment
    from growthdesk.reports.batch import render_portfolios, resolve_scope
    with db.session() as s:
        scope = resolve_scope(s, TERM, class_ref="初一(3)班")
    pdf = tmp_path / "class.pdf"
    render_portfolios(db, scope, pdf, per_student=False, class_sheet=False)
    text = "".join(pg.extract_text() for pg in PdfReader(pdf).pages)
    assert "草稿" not in text and "校长签发：陈校长" in text and "归档后更正" in text and "补交的签到表" in text


def test_a_draft_portfolio_carries_the_watermark(db, tmp_path, clock):
    clock.set(date(2026, 10, 30))
    approved_records(db)
    from growthdesk.reports.batch import render_portfolios, resolve_scope
    with db.session() as s:
        scope = resolve_scope(s, TERM, class_ref="初一(3)班")
    pdf = tmp_path / "draft.pdf"
    render_portfolios(db, scope, pdf, per_student=False, class_sheet=False)
    pages = PdfReader(pdf).pages
    assert all("草稿" in pg.extract_text() for pg in pages)


def test_held_back_changes_from_a_workstation_that_had_not_synced(db, clock):
    """An importer asks ``incoming_verdict`` per row; what it refuses is kept with the reason."""
    jun = db.sample.junior
    clock.set(date(2026, 10, 30))
    ids, award = approved_records(db)
    with db.session(user="wang") as s:
        cands = archive.candidates(s, TERM, db.sample.junior_class)
        archive.select_records(s, TERM, db.sample.junior_class,
                               [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records])
        archive.open_publicity(s, TERM, db.sample.junior_class, date(2026, 10, 30))
    login = db.sample.logins[jun[0]]
    with db.session() as s:
        row = {"id": ids[jun[0]], "student_id": jun[0], "title": "工作站上改的", "state": "approved",
               "updated_by": "wang"}
        why = archive.incoming_verdict(s, "self_record", row)
        assert why and "公示" in why[0]
        archive.hold_back(s, "self_record", row, why, source="S0001-W01")
        # a crafted row: a student approving their own new record, or writing for another
        crafted = {"id": "x" * 36, "student_id": jun[1], "state": "approved", "updated_by": login}
        assert "不能审核通过" in archive.incoming_verdict(s, "self_record", crafted)[0]
        crafted["state"] = "draft"
        assert "只能为自己" in archive.incoming_verdict(s, "self_record", crafted)[0]
        assert archive.incoming_verdict(s, "self_record", dict(crafted, student_id=jun[0])) is None
        assert archive.incoming_verdict(s, "archive_item", {"id": "y" * 36, "term_code": TERM,
                                                            "class_id": db.sample.junior_class,
                                                            "record_id": "z", "student_id": jun[0]})
    with db.session() as s:
        held = archive.held_changes(s)
        assert [(h.table_name, h.source) for h in held] == [("self_record", "S0001-W01")]
        assert "公示" in held[0].reason and "工作站上改的" in held[0].row_json
        assert s.get(SelfRecord, ids[jun[0]]).title != "工作站上改的"


def test_an_objection_before_the_period_and_a_sign_off_without_one_are_refused(db, clock):
    clock.set(date(2026, 10, 30))
    approved_records(db)
    before = dump(db)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="还没有公示"):
        archive.sign_adviser(s, TERM, db.sample.junior_class)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="请先遴选"):
        archive.open_publicity(s, TERM, db.sample.junior_class, date(2026, 11, 2))
    assert dump(db) == before


def test_district_counts_approved_only_and_shows_each_schools_progress(tmp_path, clock):
    """Hub → district: state, provenance, selection, publicity travel in the bundle."""
    from growthdesk.stats import queries
    from growthdesk.stats.filters import Filters
    from growthdesk.stats.process import process_by_school
    from growthdesk.sync import export_bundle, import_bundle
    from growthdesk.sync.testing import make_district_and_school
    from tests.zongping_fixtures import populate

    clock.set(date(2026, 10, 30))
    district, school, _ = make_district_and_school(tmp_path / "d")
    school.sample = populate(school)
    ids, award = approved_records(school)
    jun = school.sample.junior
    with school.session(user=school.sample.logins[jun[2]]) as s:  # one award still waiting
        pending = competitions.record_result(s, competition_id=AI, student_ids=[jun[2]], level="school",
                                             award="first", award_date=date(2026, 10, 21)).id
        review.submit(s, "result", pending)
    with school.session(user="wang") as s:
        cands = archive.candidates(s, TERM, school.sample.junior_class)
        archive.select_records(s, TERM, school.sample.junior_class,
                               [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records])
        archive.open_publicity(s, TERM, school.sample.junior_class, date(2026, 10, 30))
    out = export_bundle(school, tmp_path / "out")
    res = import_bundle(district, out["path"] if isinstance(out, dict) else out)
    assert res["status"] == "imported", res.get("reason")
    with district.session() as s:
        from growthdesk.models import CompetitionResult as R, PublicityPeriod, SelfRecord as SR
        assert s.query(R).filter_by(state="submitted").count() == 1
        assert s.query(SR).filter_by(state="approved").count() == 4
        assert s.query(PublicityPeriod).count() == 1
        rows = queries.awards_by_level(s, Filters(term=TERM))
        assert sum(r["results"] for r in rows) == 1  # the approved team award; not the pending one
        prog = process_by_school(s, TERM, date(2026, 11, 3))
    assert prog["schools"][0]["school_code"] == "S0001"
    assert prog["schools"][0]["steps"]["publicity"] == 1 and prog["schools"][0]["steps"]["recording"] == 1
    school.close()
    district.close()


def test_hub_holds_back_a_frozen_edit_from_a_workstation_that_had_not_synced(tmp_path, clock):
    """A lab workstation (copy of the hub) edits a record while the hub opens the publicity
    period: the hub's import holds the edit back with the reason, the record stays as shown,
    and the next bundle down brings the workstation back in line. A student's crafted approval
    in a bundle is held back too."""
    import shutil

    from growthdesk.db import open_database, write_settings
    from growthdesk.models import HeldChange
    from growthdesk.sync import IMPORTED, export_bundle, import_bundle
    from growthdesk.sync.testing import edit_csv, make_district_and_school, repack
    from tests.zongping_fixtures import populate

    clock.set(date(2026, 10, 30))
    district, hub, setup = make_district_and_school(tmp_path / "d")
    district.close()
    hub.sample = populate(hub)
    ids, award = approved_records(hub)
    jun = hub.sample.junior
    with hub.session(user=hub.sample.logins[jun[3]]) as s:  # a draft of 赵六's, to craft with later
        draft = self_records.create_self_record(s, student_id=jun[3], title="草稿", activity_date=date(2026, 10, 22)).id
    hub.close()
    shutil.copy(tmp_path / "d" / "S0001.db", tmp_path / "ws.db")
    ws = open_database(tmp_path / "ws.db")
    with ws.session() as s:
        write_settings(s, {"node_id": "S0001-W01"})
    ws.reload_settings()
    sample, hub = hub.sample, open_database(tmp_path / "d" / "S0001.db")
    hub.sample = sample
    with ws.session(user="li") as s:  # on the lab PC, before it learns of the publicity period
        self_records.update_self_record(s, ids[jun[0]], title="工作站上改的标题")
    with hub.session(user="wang") as s:
        cands = archive.candidates(s, TERM, hub.sample.junior_class)
        archive.select_records(s, TERM, hub.sample.junior_class,
                               [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records])
        archive.open_publicity(s, TERM, hub.sample.junior_class, date(2026, 10, 30))
    up = export_bundle(ws, tmp_path / "up", peer="S0001")
    res = import_bundle(hub, up["path"])
    assert res["status"] == IMPORTED, res["reason"]
    assert res["counts"]["held_back"] == {"rows": 1}
    with hub.session() as s:
        assert s.get(SelfRecord, ids[jun[0]]).title == "科技节志愿服务1"
        held = s.query(HeldChange).one()
        assert held.source == "S0001-W01" and "公示" in held.reason and "工作站上改的标题" in held.row_json
    down = export_bundle(hub, tmp_path / "down", peer="S0001-W01")
    assert import_bundle(ws, down["path"])["status"] == IMPORTED
    with ws.session() as s:
        assert s.get(SelfRecord, ids[jun[0]]).title == "科技节志愿服务1"  # in line with the hub again
        assert archive.publicity_of(s, TERM, hub.sample.junior_class) is not None
    # a crafted bundle: 赵六's draft marked approved by hand in the CSV
    with ws.session(user=hub.sample.logins[jun[3]]) as s:
        self_records.update_self_record(s, draft, title="草稿（改）")
    up2 = export_bundle(ws, tmp_path / "up2", peer="S0001")

    def approve(rows):
        head = rows[0]
        for r in rows[1:]:
            if r[0] == draft:
                r[head.index("state")] = "approved"
    crafted = tmp_path / "crafted" / Path(up2["path"]).name
    crafted.parent.mkdir()
    repack(Path(up2["path"]), crafted, setup["sync_key"], edit=edit_csv("self_record.csv", approve))
    res = import_bundle(hub, crafted)
    assert res["status"] == IMPORTED, res["reason"]
    assert res["counts"]["held_back"] == {"rows": 1}
    with hub.session() as s:
        row = s.get(SelfRecord, draft)
        assert (row.state, row.title) == ("draft", "草稿")
        reasons = [h.reason for h in archive.held_changes(s)]
        assert any("学生账户不能审核通过记录" in r for r in reasons)
    ws.close()
    hub.close()


def test_a_held_back_new_project_is_held_with_its_members_and_log_entries_the_rest_applied(tmp_path, clock):
    """On the lab workstation during publicity a student starts a project and writes two log
    entries; the bundle is crafted to mark the project approved. The hub holds the project back
    with its member and log rows (they cannot go in without it) and applies the rest: a
    classmate's new activity written on the same PC."""
    import shutil

    from growthdesk.db import open_database, write_settings
    from growthdesk.models import InnovationProject, ProjectLogEntry, ProjectMember
    from growthdesk.services import projects
    from growthdesk.sync import IMPORTED, export_bundle, import_bundle
    from growthdesk.sync.testing import edit_csv, make_district_and_school, repack
    from tests.zongping_fixtures import populate

    clock.set(date(2026, 10, 30))
    district, hub, setup = make_district_and_school(tmp_path / "d")
    district.close()
    hub.sample = populate(hub)
    approved_records(hub)
    jun, sample = hub.sample.junior, hub.sample
    with hub.session(user="wang") as s:
        cands = archive.candidates(s, TERM, sample.junior_class)
        archive.select_records(s, TERM, sample.junior_class,
                               [(c.student_id, r.record_type, r.record_id) for c in cands for r in c.records])
        archive.open_publicity(s, TERM, sample.junior_class, date(2026, 10, 30))
    hub.close()
    shutil.copy(tmp_path / "d" / "S0001.db", tmp_path / "ws.db")
    ws = open_database(tmp_path / "ws.db")
    with ws.session() as s:
        write_settings(s, {"node_id": "S0001-W01"})
    ws.reload_settings()
    clock.set(date(2026, 11, 3))
    with ws.session(user=sample.logins[jun[1]]) as s:
        pid = projects.create_project(s, title="校园雨水回收装置", kind="invention", term_code=TERM,
                                      start_date=date(2026, 10, 26), members=[(jun[1], "leader")]).id
        logs = [projects.add_log_entry(s, pid, "opening", date(2026, 10, 27), "完成开题报告").id,
                projects.add_log_entry(s, pid, "midterm", date(2026, 11, 2), "做出第一台样机").id]
    with ws.session(user=sample.logins[jun[2]]) as s:
        other = self_records.create_self_record(s, student_id=jun[2], title="图书馆志愿者",
                                                activity_date=date(2026, 11, 1)).id
    up = export_bundle(ws, tmp_path / "up", peer="S0001")

    def approve(rows):
        head = rows[0]
        for r in rows[1:]:
            if r[0] == pid:
                r[head.index("state")] = "approved"
    crafted = tmp_path / "crafted" / Path(up["path"]).name
    crafted.parent.mkdir()
    repack(Path(up["path"]), crafted, setup["sync_key"], edit=edit_csv("innovation_project.csv", approve))
    hub = open_database(tmp_path / "d" / "S0001.db")
    res = import_bundle(hub, crafted)
    assert res["status"] == IMPORTED, res["reason"]
    assert res["counts"]["held_back"] == {"rows": 4}  # the project, its member, its two log entries
    with hub.session() as s:
        assert s.get(InnovationProject, pid) is None
        assert s.query(ProjectMember).filter_by(project_id=pid).count() == 0
        assert all(s.get(ProjectLogEntry, lid) is None for lid in logs)
        assert s.get(SelfRecord, other).title == "图书馆志愿者"  # the rest of the bundle went in
        held = {h.table_name: h for h in archive.held_changes(s)}
        assert set(held) == {"innovation_project", "project_member", "project_log_entry"}
        assert "学生账户不能审核通过记录" in held["innovation_project"].reason
        assert "随它一起暂缓" in held["project_log_entry"].reason and held["project_log_entry"].source == "S0001-W01"
        assert "做出第一台样机" in "".join(h.row_json for h in archive.held_changes(s))
    # the same bundle again: nothing new is applied, and nothing is rejected
    res = import_bundle(hub, crafted)
    assert res["status"] != "rejected", res.get("reason")
    ws.close()
    hub.close()


def _as_before_0010(src: Path, dst: Path, key: str) -> Path:
    """The bundle as a node before migration 0010 made it: no 综评 tables and no review columns
    (nor the 0011 programme tables), re-signed with the school's key."""
    import csv
    import hashlib
    import io
    import zipfile

    from growthdesk.sync import format as fmt
    later = {fmt.SPEC_BY_NAME[n].csv_name for n in fmt.LATER_TABLES}
    review = {fmt.SPEC_BY_NAME[n].csv_name for n in fmt.REVIEW_TABLES}
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members[fmt.MANIFEST])
    for name in later:
        members.pop(name, None)
        manifest["files"].pop(name, None)
    for name in review:
        rows = list(csv.reader(io.StringIO(members[name].decode("utf-8"), newline="")))
        keep = [i for i, c in enumerate(rows[0]) if c not in fmt.REVIEW_DEFAULTS]
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in rows])
        members[name] = out.getvalue().encode("utf-8")
        manifest["files"][name].update(sha256=hashlib.sha256(members[name]).hexdigest(), bytes=len(members[name]))
    members[fmt.MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    members[fmt.SIGNATURE] = (fmt.sign(members[fmt.MANIFEST], key) + "\n").encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def test_a_bundle_from_a_node_before_0010_is_accepted_as_approved_entries(tmp_path, clock):
    """A school still on a version before the 综评 review: its bundle has no review columns and
    no 综评 tables. New records read as approved entries of unknown provenance (what 0010 made of
    the records already in a database); a record already here keeps its review state."""
    from growthdesk.models import CompetitionResult as R
    from growthdesk.sync import IMPORTED, export_bundle, import_bundle
    from growthdesk.sync.testing import make_district_and_school
    from tests.zongping_fixtures import populate

    clock.set(date(2026, 10, 30))
    district, school, setup = make_district_and_school(tmp_path / "d")
    school.sample = populate(school)
    ids, award = approved_records(school)
    jun = school.sample.junior
    with school.session(user=school.sample.logins[jun[2]]) as s:  # a student's award, waiting for review
        pending = competitions.record_result(s, competition_id=AI, student_ids=[jun[2]], level="school",
                                             award="first", award_date=date(2026, 10, 21)).id
        review.submit(s, "result", pending)
    first = export_bundle(school, tmp_path / "out1")
    assert import_bundle(district, first["path"] if isinstance(first, dict) else first)["status"] == IMPORTED

    # the school's next bundle, made as a node before 0010 would: a new award, and a change to the pending one
    with school.session() as s:
        new = competitions.record_result(s, competition_id=AI, student_ids=[jun[3]], level="district",
                                         award="third", award_date=date(2026, 10, 22)).id
        competitions.update_result(s, pending, certificate_no="XJ-2026-001")
    second = export_bundle(school, tmp_path / "out2")
    path = Path(second["path"] if isinstance(second, dict) else second)
    (tmp_path / "old").mkdir()
    old = _as_before_0010(path, tmp_path / "old" / path.name, setup["sync_key"])
    res = import_bundle(district, old)
    assert res["status"] == IMPORTED, res.get("reason")
    assert res["counts"]["older_version"]["review_columns_filled"] == ["competition_result", "innovation_project",
                                                                      "project_log_entry"]
    assert "self_record" in res["counts"]["older_version"]["tables_absent"]
    with district.session() as s:
        row = s.get(R, new)
        assert (row.state, row.entered_role, row.backfilled, row.entered_by) == ("approved", "import", False, "")
        kept = s.get(R, pending)
        assert kept.certificate_no == "XJ-2026-001"           # the change went in
        assert (kept.state, kept.entered_role) == ("submitted", "student")  # its review state did not
    school.close()
    district.close()
