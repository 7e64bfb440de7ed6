"""services.projects, services.competitions, services.evidence: multi-record writes are whole or nothing."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.models import (AuditLog, Competition, CompetitionResult, CompetitionResultMember,
                               InnovationProject, ProjectMentor)
from growthdesk.paths import resource
from growthdesk.services import competitions, evidence, projects, students
from tests.dbdump import dump

T = "2025-2026-1"


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def catalog_db(school_db):
    with school_db.session(user="admin") as s:
        competitions.load_national_catalog(s)
    return school_db


# ---------------------------------------------------------------- competitions

def test_national_catalog_loads_idempotently(catalog_db):
    import json
    doc = json.loads(resource("reference", "competitions_national.json").read_text(encoding="utf-8"))
    with catalog_db.session(user="admin") as s:
        n = count(s, Competition)
        assert n == len(doc["competitions"]) == competitions.load_national_catalog(s)
        first = s.get(Competition, doc["competitions"][0]["id"])
        assert (first.name, first.school_code, first.on_national_list, first.list_edition) == (
            doc["competitions"][0]["name"], "", True, doc["edition"])
        usn = first.usn
    with catalog_db.session(user="admin") as s:
        competitions.load_national_catalog(s)   # nothing changed: no updates, no new usn
        assert count(s, Competition) == n and s.get(Competition, first.id).usn == usn


def test_local_competitions_and_lookup(catalog_db):
    with catalog_db.session(user="admin") as s:
        c = competitions.create_competition(s, "示例区青少年科技创新大赛", organiser="示例区科协", discipline="综合",
                                            stages=["初中", "senior"])
        assert (c.stages, c.on_national_list, c.school_code) == ("junior,senior", False, "S0001")
        with pytest.raises(ValidationError) as err:
            competitions.create_competition(s, " 示例区青少年科技创新大赛 ", stages="junior")
        assert err.value.field == "name" and "示例区青少年科技创新大赛" in err.value.zh
        assert competitions.find_competition(s, c.id) is c
        assert competitions.find_competition(s, "示例区青少年科技创新大赛") is c
        assert competitions.find_competition(s, "人工智能创新挑战赛").on_national_list
        with pytest.raises(NotFoundError):
            competitions.find_competition(s, "不存在的比赛")
        national = competitions.find_competition(s, "人工智能创新挑战赛")
        with pytest.raises(ValidationError):
            competitions.delete_competition(s, national.id)
        r = competitions.record_result(s, competition_id=c.id, student_ids=catalog_db.sample["student_ids"][:1],
                                       level="district", award="third", award_date=date(2025, 12, 1))
        with pytest.raises(ValidationError) as err:
            competitions.delete_competition(s, c.id)
        assert "1 条获奖记录" in err.value.zh
        competitions.delete_result(s, r.id)
        competitions.delete_competition(s, c.id)
        assert c.id not in {x.id for x in competitions.list_competitions(s)}


def _team_args(db, comp_id, **over):
    args = dict(competition_id=comp_id, student_ids=list(db.sample["student_ids"]), level="provincial",
                award="一等奖", award_date=date(2025, 11, 20), team_name="星火队", work_title="智能垃圾分拣车",
                instructor="周老师", certificate_no="ZJ-2025-001")
    args.update(over)
    return args


def test_team_award_is_one_result_with_members(catalog_db):
    with catalog_db.session(user="t1") as s:
        comp = competitions.find_competition(s, "全国青少年人工智能创新挑战赛")
        r = competitions.record_result(s, **_team_args(catalog_db, comp.id))
    ids = catalog_db.sample["student_ids"]
    with catalog_db.session() as s:
        r = s.get(CompetitionResult, r.id)
        assert (r.is_team, r.level, r.award, r.term_code, r.school_year) == (True, "provincial", "first", T, 2025)
        assert [m.student_id for m in competitions.result_members(s, r.id)] == catalog_db.sample["student_ids"]
        a = catalog_db.sample["student_ids"][0]
        assert [x.id for x in competitions.list_results_for_student(s, a)] == [r.id]
        assert competitions.list_results_for_student(s, a, "2024-2025-2") == []
        logged = s.scalars(select(AuditLog.table_name).where(AuditLog.user == "t1")).all()
        assert logged.count("competition_result_member") == 3 and logged.count("competition_result") == 1
    with catalog_db.session(user="t1") as s:   # the same award entered twice is refused…
        with pytest.raises(ValidationError) as err:
            competitions.record_result(s, **_team_args(catalog_db, comp.id, student_ids=list(reversed(ids))))
        assert "已录入" in err.value.zh
        # …but the same prize for a different team, or for another work, is a different result
        competitions.record_result(s, **_team_args(catalog_db, comp.id, student_ids=ids[:2]))
        competitions.record_result(s, **_team_args(catalog_db, comp.id, work_title="第二件作品", certificate_no=""))


@pytest.mark.parametrize("over,field", [
    ({"student_ids": "BAD"}, "student_ids"),              # one student id does not exist
    ({"student_ids": []}, "student_ids"),
    ({"student_ids": "DUP"}, "student_ids"),
    ({"award_date": date.today() + timedelta(days=1)}, "award_date"),
    ({"level": "宇宙级"}, "level"),
    ({"award": "五等奖"}, "award"),
    ({"competition_id": "nope"}, "competition_id"),
    ({"term_code": "2025-2026-3"}, "term_code"),
    ({"project_id": "nope"}, "project_id"),
])
def test_bad_team_award_leaves_nothing_half_done(catalog_db, over, field):
    ids = catalog_db.sample["student_ids"]
    if over.get("student_ids") == "BAD":
        over = {"student_ids": [ids[0], "00000000-0000-0000-0000-000000000000", ids[2]]}
    elif over.get("student_ids") == "DUP":
        over = {"student_ids": [ids[0], ids[1], ids[0]]}
    with catalog_db.session() as s:
        comp_id = competitions.find_competition(s, "全国青少年人工智能创新挑战赛").id
    before = dump(catalog_db)
    with pytest.raises((ValidationError, NotFoundError)) as err:
        with catalog_db.session(user="t1") as s:
            try:
                competitions.record_result(s, **_team_args(catalog_db, comp_id, **over))
            finally:
                assert not s.new and not s.dirty   # no result row was added ahead of its members
    assert err.value.field == field
    assert dump(catalog_db) == before


def test_set_members_update_and_delete_result(catalog_db):
    a, b, c = catalog_db.sample["student_ids"]
    with catalog_db.session(user="t1") as s:
        comp = competitions.find_competition(s, "全国青少年人工智能创新挑战赛")
        r = competitions.record_result(s, **_team_args(catalog_db, comp.id, student_ids=[a]))
        assert r.is_team is False
    with catalog_db.session(user="t1") as s:
        competitions.set_members(s, r.id, [b, c])
        competitions.update_result(s, r.id, award="second", award_date=date(2026, 3, 1), verification="verified")
    with catalog_db.session() as s:
        r2 = s.get(CompetitionResult, r.id)
        assert (r2.is_team, r2.award, r2.term_code, r2.verification) == (True, "second", "2025-2026-2", "verified")
        assert {m.student_id for m in competitions.result_members(s, r.id)} == {b, c}
        assert competitions.list_results_for_student(s, a) == []
    with catalog_db.session(user="t1") as s:
        competitions.delete_result(s, r.id)
    with catalog_db.session() as s:
        assert competitions.list_results_for_student(s, b) == []
        assert count(s, CompetitionResultMember) == 3   # tombstones stay to travel
        assert s.scalar(select(func.count()).select_from(CompetitionResultMember)
                        .where(CompetitionResultMember.deleted.is_(False))) == 0


def test_deleting_the_only_winner_deletes_the_award(catalog_db):
    a = catalog_db.sample["student_ids"][0]
    with catalog_db.session(user="t1") as s:
        comp = competitions.find_competition(s, "全国青少年人工智能创新挑战赛")
        r = competitions.record_result(s, **_team_args(catalog_db, comp.id, student_ids=[a]))
        students.delete_student(s, a)
    with catalog_db.session() as s:
        assert s.get(CompetitionResult, r.id).deleted is True


# ---------------------------------------------------------------- projects

def _project_args(db, **over):
    a, b, c = db.sample["student_ids"]
    args = dict(title="校园雨水回收系统设计", kind="engineering", term_code=T, start_date=date(2025, 9, 15),
                discipline="工程", members=[(a, "leader"), (b, "member")],
                mentors=[{"name": "陈老师", "kind": "in_school"},
                         {"name": "刘工", "kind": "校外导师", "organisation": "市水务研究院", "title": "高级工程师"}])
    args.update(over)
    return args


def test_project_with_members_mentors_log_and_outcome(school_db):
    a, b, c = school_db.sample["student_ids"]
    with school_db.session(user="t1") as s:
        p = projects.create_project(s, **_project_args(school_db))
        projects.add_log_entry(s, p.id, "开题", date(2025, 9, 20), "完成开题报告")
        projects.add_outcome(s, p.id, "patent", "一种雨水回收装置", date(2026, 1, 5), "ZL2026xxxx")
        projects.add_member(s, p.id, c)
    with school_db.session(user="t1") as s:
        assert [m.role for m in projects.project_members(s, p.id)] == ["leader", "member", "member"]
        assert [m.kind for m in projects.project_mentors(s, p.id)] == ["external", "in_school"]
        assert [x.title for x in projects.list_projects_for_student(s, c, T)] == ["校园雨水回收系统设计"]
        with pytest.raises(ValidationError):
            projects.remove_member(s, p.id, a)       # the leader: name another first
        projects.set_leader(s, p.id, b)
        projects.remove_member(s, p.id, a)
        assert projects.list_projects_for_student(s, a) == []
        with pytest.raises(ValidationError) as err:
            projects.add_log_entry(s, p.id, "中期", date(2025, 9, 1), "早于开始")
        assert err.value.field == "entry_date"
    with school_db.session(user="t1") as s:
        projects.delete_project(s, p.id)
    with school_db.session() as s:
        assert projects.list_projects_for_student(s, b) == []
        assert s.scalar(select(func.count()).select_from(ProjectMentor).where(ProjectMentor.deleted.is_(False))) == 0
        assert s.get(InnovationProject, p.id).deleted is True


@pytest.mark.parametrize("over,field", [
    ({"members": []}, "members"),
    ({"members": "NO_LEADER"}, "members"),
    ({"members": "TWO_LEADERS"}, "members"),
    ({"members": "GHOST"}, "student_ids"),
    ({"title": ""}, "title"),
    ({"kind": "magic"}, "kind"),
    ({"term_code": "2025-2027-1"}, "term_code"),
    ({"start_date": date.today() + timedelta(days=2)}, "start_date"),
    ({"end_date": date(2025, 9, 1)}, "end_date"),
    ({"mentors": [{"name": "x", "kind": "robot"}]}, "mentor.kind"),
])
def test_bad_projects_change_nothing(school_db, over, field):
    a, b, _ = school_db.sample["student_ids"]
    special = {"NO_LEADER": [(a, "member"), (b, "member")], "TWO_LEADERS": [(a, "leader"), (b, "leader")],
               "GHOST": [(a, "leader"), ("ghost-id", "member")]}
    if isinstance(over.get("members"), str):
        over = {"members": special[over["members"]]}
    before = dump(school_db)
    with pytest.raises(ValidationError) as err:
        with school_db.session(user="t1") as s:
            projects.create_project(s, **_project_args(school_db, **over))
    assert err.value.field == field
    assert dump(school_db) == before


# ---------------------------------------------------------------- evidence

def test_attach_file_dedups_by_hash(school_db, tmp_path):
    sid = school_db.sample["student_ids"][0]
    f1 = tmp_path / "证书.jpg"
    f1.write_bytes(b"\xff\xd8certificate" * 100)
    f2 = tmp_path / "copy.jpg"
    f2.write_bytes(f1.read_bytes())
    with school_db.session(user="t1") as s:
        e1 = evidence.attach_file(s, school_db.path, owner_type="student", owner_id=sid, file_path=f1,
                                  kind="certificate", note="市级证书")
        e2 = evidence.attach_file(s, school_db, owner_type="学生", owner_id=sid, file_path=f2, kind="photo")
        link = evidence.attach_link(s, owner_type="student", owner_id=sid, url="https://example.org/v/1")
    sha = hashlib.sha256(f1.read_bytes()).hexdigest()
    stored = evidence.evidence_file_path(school_db.path, sha)
    assert (e1.sha256, e2.sha256, e1.size, e1.mime_type, e1.original_name) == (sha, sha, 1300, "image/jpeg", "证书.jpg")
    assert stored == school_db.path.with_name("s.evidence") / sha[:2] / sha
    assert stored.read_bytes() == f1.read_bytes()
    assert [p.name for p in stored.parent.iterdir()] == [sha]   # one copy, no temp files left
    with school_db.session(user="t1") as s:
        assert [e.id for e in evidence.list_evidence(s, "student", sid)] == [e1.id, e2.id, link.id]
        evidence.delete_evidence(s, e2.id)
        assert [e.id for e in evidence.list_evidence(s, "student", sid)] == [e1.id, link.id]
    assert stored.exists()


def test_evidence_refuses_bad_input(school_db, tmp_path):
    sid = school_db.sample["student_ids"][0]
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    big = tmp_path / "big.mp4"
    with open(big, "wb") as fh:      # sparse: 50 MB + 1 byte without writing them
        fh.truncate(evidence.MAX_BYTES + 1)
    ok = tmp_path / "ok.pdf"
    ok.write_bytes(b"%PDF-1.4")
    before = dump(school_db)
    cases = [(dict(file_path=empty, kind="report"), "file_path", "空"),
             (dict(file_path=big, kind="report"), "file_path", "50 MB"),
             (dict(file_path=tmp_path / "missing.pdf", kind="report"), "file_path", "不存在"),
             (dict(file_path=ok, kind="poster"), "kind", "佐证类型")]
    with school_db.session(user="t1") as s:
        for kwargs, field, needle in cases:
            with pytest.raises(ValidationError) as err:
                evidence.attach_file(s, school_db.path, owner_type="student", owner_id=sid, **kwargs)
            assert err.value.field == field and needle in err.value.zh
        with pytest.raises(NotFoundError):
            evidence.attach_file(s, school_db.path, owner_type="project", owner_id=sid, file_path=ok, kind="report")
        with pytest.raises(ValidationError) as err:
            evidence.attach_link(s, owner_type="student", owner_id=sid, url="javascript:alert(1)")
        assert err.value.field == "url"
        assert not s.new
    assert dump(school_db) == before
    assert not school_db.path.with_name("s.evidence").exists()


def test_deleting_a_student_keeps_team_records_whole(school_db, tmp_path):
    a, b, c = school_db.sample["student_ids"]
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG-photo")
    with school_db.session(user="t1") as s:
        team = projects.create_project(s, **_project_args(school_db))                       # a leads, b member
        solo = projects.create_project(s, **_project_args(school_db, title="个人课题", members=[(a, "leader")]))
        ev = evidence.attach_file(s, school_db.path, owner_type="student", owner_id=a, file_path=photo, kind="photo")
        on_solo = evidence.attach_file(s, school_db.path, owner_type="project", owner_id=solo.id, file_path=photo,
                                       kind="photo")
    with school_db.session(user="admin") as s:
        students.delete_student(s, a)
    with school_db.session() as s:
        assert [(m.student_id, m.role) for m in projects.project_members(s, team.id)] == [(b, "leader")]
        assert s.get(InnovationProject, solo.id).deleted is True
        assert s.get(type(ev), ev.id).deleted is True and s.get(type(ev), on_solo.id).deleted is True
        assert [p.title for p in projects.list_projects_for_student(s, b)] == ["校园雨水回收系统设计"]


def test_a_rolled_back_attach_leaves_no_file_behind(school_db, tmp_path):
    sid = school_db.sample["student_ids"][0]
    photo = tmp_path / "award.jpg"
    photo.write_bytes(b"\xff\xd8award-photo" * 50)
    stored = evidence.evidence_file_path(school_db.path, hashlib.sha256(photo.read_bytes()).hexdigest())
    with pytest.raises(ValidationError):
        with school_db.session(user="t1") as s:
            evidence.attach_file(s, school_db.path, owner_type="student", owner_id=sid, file_path=photo, kind="photo")
            assert stored.exists()
            evidence.attach_link(s, owner_type="student", owner_id=sid, url="javascript:alert(1)")
    assert not stored.exists()
    with school_db.session(user="t1") as s:   # the same file attached for real stays
        evidence.attach_file(s, school_db.path, owner_type="student", owner_id=sid, file_path=photo, kind="photo")
    assert stored.exists()
