"""Issue 15, part 1 and 2: record states and provenance, student accounts, the review queue,
approved-only statistics and portfolios, and the competition rules of the catalog."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from growthdesk.errors import PermissionDenied, ValidationError
from growthdesk.models import CompetitionResult, SelfRecord, User
from growthdesk.services import competitions, evidence, names, review, self_records, student_accounts, users
from growthdesk.services import _common
from tests.dbdump import dump
from tests.zongping_fixtures import PASSWORD, build, copy

TERM = "2026-2027-1"
ON = date(2026, 10, 12)
CKJ = "f164e51c-4b9c-5737-b026-a31ca45a9208"       # 全国青少年科技创新大赛 (senior only, ≤3, one stage)
AI = "be30a847-657d-5497-b722-be1a0a9f3b35"        # 全国青少年人工智能创新挑战赛 (all stages)
MATH = "5ba244e9-b4ff-537a-9f53-0f4f6251923b"      # 数学奥林匹克 (individual)


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    path = tmp_path_factory.mktemp("zp") / "t.db"
    return path, build(path)


@pytest.fixture()
def db(tmp_path, _template):
    d = copy(_template[0], _template[1], tmp_path / "s.db")
    yield d
    d.close()


def login_of(db, sid):
    return db.sample.logins[sid]


def activity(db, sid, **over):
    with db.session(user=login_of(db, sid)) as s:
        args = dict(student_id=sid, title="社区垃圾分类志愿服务", activity_date=ON, place="幸福社区", hours=3,
                    role="志愿者", reflection="学会了分类。")
        args.update(over)
        return self_records.create_self_record(s, **args).id


# ---------------------------------------------------------------- accounts

def test_student_accounts_are_made_in_bulk_with_slips_and_log_in(db, tmp_path):
    jun = db.sample.junior
    with db.session() as s:
        accounts = list(s.scalars(select(User).where(User.role == "student")))
        assert len(accounts) == 8 and {u.student_id for u in accounts} == set(jun + db.sample.senior)
        assert all(len(db.sample.passwords[sid]) == 8 for sid in jun)
        u = users.authenticate(s, login_of(db, jun[0]), db.sample.passwords[jun[0]])
        assert u.role == "student" and u.student_id == jun[0]
        assert student_accounts.create_student_accounts(s, [db.sample.junior_class]) == []  # nobody new
        slips = student_accounts.create_student_accounts(s, [db.sample.junior_class], reset=True)
    assert len(slips) == 4
    out = tmp_path / "slips.pdf"
    student_accounts.slips_pdf(slips, out, "示例市第一中学")
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "张三" in text and slips[0].login in text and slips[0].password in text
    assert "G1101" not in text  # never the 学籍号


def test_a_teacher_cannot_make_accounts_for_a_class_they_do_not_advise(db):
    before = dump(db)
    with pytest.raises(PermissionDenied, match="班主任"), db.session(user="li") as s:
        student_accounts.create_student_accounts(s, [db.sample.junior_class])
    assert dump(db) == before


# ---------------------------------------------------------------- states and provenance

def test_student_record_is_a_draft_with_provenance_then_submitted_returned_fixed_approved(db):
    sid = db.sample.junior[0]
    rid = activity(db, sid, activity_date=date(2026, 9, 1))
    with db.session() as s:
        r = s.get(SelfRecord, rid)
        assert (r.state, r.entered_role, r.entered_by) == ("draft", "student", login_of(db, sid))
        assert r.backfilled  # entered more than 30 days after the activity
        assert "学生本人" in review.provenance_label(r) and "补录" in review.provenance_label(r)
    with db.session(user="wang") as s:  # a draft is the author's alone
        assert review.review_queue(s) == []
        assert [x.id for x in self_records.list_self_records(s, sid)] == []
        with pytest.raises(PermissionDenied, match="草稿"):
            self_records.update_self_record(s, rid, title="老师改的")
    with db.session(user=login_of(db, sid)) as s:
        review.submit(s, "self_record", rid)
    with db.session(user="wang") as s:
        q = review.review_queue(s)
        assert [(x.record_id, x.student_name, x.class_label, x.backfilled) for x in q] == [(rid, "张三", "初一(3)班", True)]
        review.return_record(s, "self_record", rid, "请写清楚服务时长和收获")
    with db.session(user=login_of(db, sid)) as s:
        r = s.get(SelfRecord, rid)
        assert r.state == "returned" and r.return_reason == "请写清楚服务时长和收获"
        self_records.update_self_record(s, rid, hours=4, reflection="分类后垃圾减少了一半。")
        review.submit(s, "self_record", rid)
    with db.session(user="li") as s:  # a teacher of the class reviews too
        assert review.approve(s, [("self_record", rid)]) == 1
    with db.session() as s:
        r = s.get(SelfRecord, rid)
        assert (r.state, r.reviewed_by, r.hours) == ("approved", "li", 4.0)


def test_recent_records_are_not_backfilled_and_the_threshold_is_a_school_setting(db):
    sid = db.sample.junior[1]
    today = _common.today()
    rid = activity(db, sid, activity_date=today - timedelta(days=5))
    with db.session() as s:
        assert not s.get(SelfRecord, rid).backfilled
        review.set_backfill_days(s, 3)
    rid2 = activity(db, sid, activity_date=today - timedelta(days=5), title="第二次")
    with db.session() as s:
        assert s.get(SelfRecord, rid2).backfilled
        with pytest.raises(ValidationError, match="1 到 365"):
            review.set_backfill_days(s, 0)


def test_teacher_entry_on_behalf_shows_and_counts(db):
    sid = db.sample.junior[0]
    with db.session(user="wang") as s:
        rid = self_records.create_self_record(s, student_id=sid, title="运动会志愿者", activity_date=ON).id
        r = s.get(SelfRecord, rid)
        assert (r.state, r.entered_role, r.reviewed_by) == ("approved", "teacher", "wang")
        assert review.provenance_label(r).startswith("教师代录")
        day = names.local_date(r.entered_at)  # as a Chinese teacher writes it, not 2026-10-12
        assert f"{day.year}年{day.month}月{day.day}日" in review.provenance_label(r)


def test_student_cannot_touch_another_students_or_an_approved_record(db):
    a, b = db.sample.junior[:2]
    rid = activity(db, a)
    before = dump(db)
    with db.session(user=login_of(db, b)) as s:
        with pytest.raises(PermissionDenied, match="本人"):
            self_records.update_self_record(s, rid, title="改别人的")
        with pytest.raises(PermissionDenied, match="自己"):
            self_records.create_self_record(s, student_id=a, title="替别人写", activity_date=ON)
        with pytest.raises(PermissionDenied, match="本人"):
            self_records.list_self_records(s, a)
        with pytest.raises(PermissionDenied):
            review.approve(s, [("self_record", rid)])
    assert dump(db) == before
    with db.session(user=login_of(db, a)) as s:
        review.submit(s, "self_record", rid)
    with db.session(user="wang") as s:
        review.approve(s, [("self_record", rid)])
    before = dump(db)
    with db.session(user=login_of(db, a)) as s:
        with pytest.raises(ValidationError, match="已通过"):
            self_records.update_self_record(s, rid, title="通过后再改")
        with pytest.raises(ValidationError, match="已通过"):
            self_records.delete_self_record(s, rid)
    assert dump(db) == before


def test_a_teacher_reviews_only_their_classes(db):
    sid = db.sample.senior[0]
    rid = activity(db, sid)
    with db.session(user=login_of(db, sid)) as s:
        review.submit(s, "self_record", rid)
    before = dump(db)
    with db.session(user="wang") as s:
        assert review.review_queue(s) == []
        with pytest.raises(PermissionDenied, match="不在您的班级"):
            review.approve(s, [("self_record", rid)])
        with pytest.raises(PermissionDenied):
            review.review_queue(s, class_id=db.sample.senior_class)
    assert dump(db) == before
    with db.session(user="admin") as s:
        assert [x.record_id for x in review.review_queue(s)] == [rid]


def test_bulk_approve_is_all_or_nothing_and_the_queue_is_oldest_first(db):
    jun = db.sample.junior
    ids = []
    for i, sid in enumerate(jun):
        rid = activity(db, sid, title=f"活动{i}")
        with db.session(user=login_of(db, sid)) as s:
            review.submit(s, "self_record", rid)
        ids.append(rid)
    with db.session(user="wang") as s:
        assert [x.record_id for x in review.review_queue(s)] == ids
        review.return_record(s, "self_record", ids[2], "日期不对")
    before = dump(db)
    with db.session(user="wang") as s, pytest.raises(ValidationError, match="待审核"):
        review.approve(s, [("self_record", x) for x in ids])  # one is no longer submitted
    assert dump(db) == before
    with db.session(user="wang") as s:
        assert review.approve(s, [("self_record", x) for x in ids if x != ids[2]]) == 3
        assert review.review_queue(s) == []


# ---------------------------------------------------------------- approved only

def test_only_approved_records_count_in_the_portfolio(db):
    from growthdesk.reports.data import gather

    sid = db.sample.junior[0]
    with db.session(user=login_of(db, sid)) as s:
        rid = competitions.record_result(s, competition_id=AI, student_ids=[sid], level="district", award="first",
                                         award_date=ON).id
        assert s.get(CompetitionResult, rid).state == "draft"
    srid = activity(db, sid)
    with db.session() as s:
        p = gather(s, TERM, [sid]).students[0]
        assert (p.awards, p.self_records) == ([], [])
        assert p.draft
    with db.session(user=login_of(db, sid)) as s:
        review.submit(s, "result", rid)
        review.submit(s, "self_record", srid)
    with db.session(user="wang") as s:
        review.approve(s, [("result", rid), ("self_record", srid)])
    with db.session() as s:
        p = gather(s, TERM, [sid]).students[0]
        assert len(p.awards) == 1 and [x.title for x in p.self_records] == ["社区垃圾分类志愿服务"]
        assert p.self_records[0].provenance.startswith("学生本人")


# ---------------------------------------------------------------- competition rules

def _submit_result(db, sids, comp, level="district", **kw):
    with db.session(user=login_of(db, sids[0])) as s:
        rid = competitions.record_result(s, competition_id=comp, student_ids=sids, level=level, award="first",
                                         award_date=ON, **kw).id
    return rid


def test_stage_rule_national_list_refuses_a_junior_student_with_the_reason(db):
    rid = _submit_result(db, [db.sample.junior[0]], CKJ)
    before = dump(db)
    with pytest.raises(ValidationError, match="只面向高中学生，张三（初中）不符合"):
        with db.session(user=login_of(db, db.sample.junior[0])) as s:
            review.submit(s, "result", rid)
    assert dump(db) == before


def test_team_rules_of_the_catalog_are_enforced(db):
    """Team awards are entered by a teacher: one that breaks a rule waits in the queue with its
    reason instead of counting at once, and cannot be approved."""
    sen = db.sample.senior

    def team(sids, comp):
        with db.session(user="zhao") as s:
            r = competitions.record_result(s, competition_id=comp, student_ids=sids, level="district", award="first",
                                           award_date=ON)
            return r.id, r.state
    rid, state = team(sen[:4], CKJ)
    assert state == "submitted"
    with pytest.raises(ValidationError, match="每队不超过3人.*有 4 人"), db.session(user="zhao") as s:
        review.approve(s, [("result", rid)])
    rid, state = team(sen[:2], MATH)
    assert state == "submitted"
    with pytest.raises(ValidationError, match="个人赛"), db.session(user="zhao") as s:
        review.approve(s, [("result", rid)])
    with db.session(user="zhao") as s:
        assert {x.record_id for x in review.review_queue(s)} >= {rid}
    assert team(sen[:3], CKJ)[1] == "approved"


def test_same_stage_rule_and_list_year(db):
    from growthdesk.models import Competition
    with db.session() as s:
        s.get(Competition, CKJ).stages = "junior,senior"  # a district that opened it to junior schools
    mixed = [db.sample.senior[0], db.sample.junior[0]]
    with db.session(user="admin") as s:
        rid = competitions.record_result(s, competition_id=CKJ, student_ids=mixed, level="district", award="first",
                                         award_date=ON).id
    from growthdesk.services import award_rules
    with db.session() as s:
        problems = award_rules.award_problems(s, s.get(CompetitionResult, rid))
        assert any("同一学段" in p[0] for p in problems)
        r = s.get(CompetitionResult, rid)
        r.school_year = 2028
        assert any("不在2028—2029学年的全国性竞赛名单上" in p[0] for p in award_rules.award_problems(s, r))
        s.rollback()


def test_municipal_award_needs_a_certificate_before_approval(db, tmp_path):
    sid = db.sample.junior[0]
    rid = _submit_result(db, [sid], AI, level="municipal")
    with db.session(user=login_of(db, sid)) as s:
        review.submit(s, "result", rid)
    before = dump(db)
    with pytest.raises(ValidationError, match="须有证书"), db.session(user="wang") as s:
        review.approve(s, [("result", rid)])
    assert dump(db) == before
    with db.session(user="wang") as s:
        assert review.queue_problems(s, review.review_queue(s))[("result", rid)]
    photo = tmp_path / "cert.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with db.session(user="wang") as s:
        evidence.attach_file(s, db.path, owner_type="result", owner_id=rid, file_path=photo, kind="certificate")
        assert review.approve(s, [("result", rid)]) == 1


def test_cli_makes_student_accounts_and_slips(db, tmp_path):
    import subprocess
    import sys
    out = tmp_path / "slips.pdf"
    db.close()
    proc = subprocess.run([sys.executable, "-m", "growthdesk", "student-accounts", "--db", str(db.path), "--grade", "初一",
                           "--year", "2026", "--reset", "--out", str(out), "--json", "--user", "admin"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GROWTHDESK_PASSWORD": PASSWORD})
    assert proc.returncode == 0, proc.stderr
    assert '"accounts": 4' in proc.stdout
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "赵六" in text and "s2026070304" in text and "G1101" not in text
    bad = subprocess.run([sys.executable, "-m", "growthdesk", "student-accounts", "--db", str(db.path), "--class",
                          "初九(3)班", "--out", str(tmp_path / "x.pdf"), "--user", "admin"], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "GROWTHDESK_PASSWORD": PASSWORD})
    assert bad.returncode == 1 and "找不到班级" in bad.stderr and not (tmp_path / "x.pdf").exists()
