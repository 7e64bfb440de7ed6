"""Cultivation programmes: lifecycle services, candidates from the rules, decisions kept across
re-runs, logs and evaluations, and the chain statistics worked out by hand on a small district
(tests/programme_sample.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from growthdesk.errors import ValidationError
from growthdesk.models import ProgrammeMember, ProgrammeNomination
from growthdesk.models.enums import DEFAULT_CRITERIA
from growthdesk.services import programmes as svc
from growthdesk.services import users
from growthdesk.stats import programmes as pst
from growthdesk.stats.cultivation import NOTICE
from growthdesk.stats.sample import TERM
from tests import programme_sample


@pytest.fixture(scope="module")
def _district_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("prog") / "district.db"
    db, ids, extra = programme_sample.build(path)
    db.close()
    return path, ids, extra


@pytest.fixture()
def district(tmp_path, _district_template):
    import shutil

    from growthdesk.db import open_database
    path, ids, extra = _district_template
    shutil.copyfile(path, tmp_path / "d.db")
    db = open_database(tmp_path / "d.db")
    db.ids, db.extra = ids, extra
    yield db
    db.close()


# ---------------------------------------------------------------- programmes and mentors

def test_programme_defaults_and_edits(district):
    with district.session(user="staff") as s:
        p = svc.get_programme(s, district.extra["p1"])
        assert (p.owner_kind, p.owner_code, p.tier) == ("district", "D01", "primary")
        assert svc.criteria_of(p) == list(DEFAULT_CRITERIA) == ["研究兴趣", "研究能力", "创新能力", "团队合作", "坚持性"]
        rules = {r.code: r for r in svc.programme_rules(p)}
        assert rules["provincial_award"].disciplines == ("人工智能",) == rules["concluded_project"].disciplines
        svc.update_programme(s, p.id, criteria="研究兴趣、动手能力", capacity=5)
        assert svc.criteria_of(p) == ["研究兴趣", "动手能力"] and p.capacity == 5
        with pytest.raises(ValidationError) as e:
            svc.update_programme(s, p.id, capacity=2)   # three active members
        assert "在培人数 3" in e.value.zh
        with pytest.raises(ValidationError):
            svc.create_programme(s, name="x", tier="大学", start_term=TERM)
        with pytest.raises(ValidationError):
            svc.create_programme(s, name="x", tier="senior", start_term="2025-2026-2", end_term="2024-2025-1")


def test_in_school_mentor_is_an_account_at_a_school(school_db):
    with school_db.session(user="admin") as s:
        users.create_user(s, "liu", "刘老师", "teacher", "secret123")
        with pytest.raises(ValidationError) as e:
            svc.add_mentor(s, kind="校内导师", login="nobody")
        assert e.value.field == "login"
        m = svc.add_mentor(s, kind="in_school", login="liu")
        assert (m.name, m.mentor_school, m.login) == ("刘老师", "S0001", "liu")
        with pytest.raises(ValidationError) as e:
            svc.add_mentor(s, kind="external", name="周教授")  # the institution is required
        assert e.value.field == "institution"
        p = svc.create_programme(s, name="校科创社", tier="junior", start_term=TERM)
        assert (p.owner_kind, p.owner_code) == ("school", "S0001")
        ext = svc.add_mentor(s, kind="external", name="周教授", institution="示例大学")
        with pytest.raises(ValidationError):   # two external mentors: one of each is the rule
            svc.add_member(s, p.id, student_id=school_db.sample["student_ids"][0], in_mentor_id=ext.id)
        mem = svc.add_member(s, p.id, student_id=school_db.sample["student_ids"][0], in_mentor_id=m.id,
                             ext_mentor_id=ext.id, joined_on=date(2025, 9, 10))
        assert mem.school_code == "S0001" and mem.person_key


# ---------------------------------------------------------------- select

def test_candidates_follow_the_programmes_disciplines(district):
    with district.session() as s:
        ai = pst.candidates(s, district.extra["p1"], TERM)
        assert ai["notice"] == NOTICE == "用于培养计划，不作为升学录取依据"
        by_name = {c["name"]: c for c in ai["candidates"]}
        # a1, a2: national first prize in 人工智能 (the award rule narrowed to the programme's discipline)
        for name in ("王一鸣", "李思远"):
            assert "provincial_award" in by_name[name]["rules"]
            assert any("人工智能" in r for r in by_name[name]["reasons"])
        assert all(c["stage"] == "primary" for c in ai["candidates"])
        p = svc.create_programme(s, name="物理苗子", tier="primary", start_term=TERM, disciplines="物理")
        phys = pst.candidates(s, p.id, TERM)
        assert not any("provincial_award" in c["rules"] for c in phys["candidates"])   # strong elsewhere only
        # The junior 物理、人工智能 programme: b1 has a provincial physics award and a provincial AI award.
        jr = {c["name"]: c for c in pst.candidates(s, district.extra["p2"], TERM)["candidates"]}
        assert "provincial_award" in jr["林小川"]["rules"] and jr["林小川"]["stage"] == "junior"


def test_nomination_decision_and_rerun_keep_decisions(district):
    p1 = district.extra["p1"]
    with district.session(user="staff") as s:
        view = pst.candidates(s, p1, TERM)
        ruled = [c for c in view["candidates"] if c["rules"]]
        assert svc.nominate_from_rules(s, p1, ruled, TERM) == len(ruled) >= 2
        noms = {n.student_id: n for n in svc.nominations(s, p1, TERM)}
        a2 = noms[district.ids["a2"]]
        assert a2.nominated_by_kind == "rule" and "人工智能" in a2.evidence
        # a teacher nominates a student the rules do not propose, with a reason (required)
        with pytest.raises(ValidationError):
            svc.nominate(s, p1, term_code=TERM, by_kind="teacher", by="刘老师", student_id=district.ids["a4"])
        a4 = svc.nominate(s, p1, term_code=TERM, by_kind="教师", by="刘老师", reason="课堂上动手能力突出",
                          student_id=district.ids["a4"])
        with pytest.raises(ValidationError):   # one nomination per person, programme and term
            svc.nominate(s, p1, term_code=TERM, by_kind="school", reason="再推荐", student_id=district.ids["a4"])
        with pytest.raises(ValidationError):   # a decision needs a reason
            svc.decide(s, a2.id, "selected", reason="")
        svc.decide(s, a2.id, "selected", reason="国家级一等奖，兴趣浓厚", by="区教研员", on=date(2025, 9, 20),
                   in_mentor_id=district.extra["in"]["u1"], ext_mentor_id=district.extra["ext"]["ai"])
        svc.decide(s, a4.id, "not_this_time", reason="名额有限，下学期再议", by="区教研员")
        member = s.scalars(select(ProgrammeMember).where(ProgrammeMember.student_id == district.ids["a2"])).one()
        assert member.status == "active" and member.nomination_id == a2.id and member.person_key
        before = {n.id: (n.decision, n.decision_reason, n.decided_by) for n in svc.nominations(s, p1)}
    # Re-run of the rules: the same candidates again, and with rules that no longer match anyone.
    with district.session(user="staff") as s:
        again = pst.candidates(s, p1, TERM)
        assert svc.nominate_from_rules(s, p1, [c for c in again["candidates"] if c["rules"]], TERM) == 0
        svc.update_programme(s, p1, rules=[{"code": "nobody", "kind": "award", "label_zh": "国际级获奖",
                                            "min_level": "international"}])
        view = pst.candidates(s, p1, TERM)
        assert svc.nominate_from_rules(s, p1, [c for c in view["candidates"] if c["rules"]], TERM) == 0
        after = {n.id: (n.decision, n.decision_reason, n.decided_by) for n in svc.nominations(s, p1)}
        assert after == before
        shown = {c["student_id"]: c for c in view["candidates"]}
        assert set(shown) == {n.student_id for n in svc.nominations(s, p1, TERM)}   # nobody nominated disappears
        assert shown[district.ids["a2"]]["matches_rules"] is False
        assert shown[district.ids["a2"]]["nomination"]["decision"] == "selected"
        assert shown[district.ids["a2"]]["member_status"] == "active"
        assert shown[district.ids["a4"]]["nomination"]["decision_reason"] == "名额有限，下学期再议"
        # withdrawing a selected person ends the membership, keeping it
        svc.decide(s, next(n.id for n in svc.nominations(s, p1) if n.student_id == district.ids["a2"]),
                   "withdrawn", reason="家长申请退出", on=date(2025, 10, 1))
        member = s.scalars(select(ProgrammeMember).where(ProgrammeMember.student_id == district.ids["a2"])).one()
        assert (member.status, member.leave_reason, member.left_on) == ("left", "家长申请退出", date(2025, 10, 1))


def test_capacity_is_kept(district):
    with district.session(user="staff") as s:
        p = svc.create_programme(s, name="小班", tier="junior", start_term=TERM, capacity=1)
        svc.add_member(s, p.id, student_id=district.ids["b2"], joined_on=date(2025, 9, 1))
        with pytest.raises(ValidationError) as e:
            svc.add_member(s, p.id, student_id=district.ids["b3"], joined_on=date(2025, 9, 1))
        assert "名额已满" in e.value.zh


# ---------------------------------------------------------------- cultivate and evaluate

def test_growth_log_review_states_and_hours(district):
    mid = district.extra["members"]["a1"]
    with district.session(user="liu") as s:
        svc.add_log(s, mid, entry_date=date(2025, 10, 8), activity="lecture", hours=2, content="人工智能讲座",
                    mentor_feedback="提问积极", author_kind="mentor", mentor_id=district.extra["in"]["u1"])
        own = svc.add_log(s, mid, entry_date=date(2025, 10, 9), activity="实验室活动", hours=3,
                          content="在实验室调试机器人", author_kind="student", author="王一鸣")
        assert own.state == "draft"
        with pytest.raises(ValidationError):
            svc.review_log(s, own.id, approve=True)     # a draft is not reviewed
        svc.submit_log(s, own.id)
        with pytest.raises(ValidationError):
            svc.review_log(s, own.id, approve=False)    # returning needs a reason
        svc.review_log(s, own.id, approve=False, reason="请写清楚调试了什么")
        assert own.state == "returned" and own.return_reason
        with pytest.raises(ValidationError):
            svc.add_log(s, mid, entry_date=date(2025, 9, 1), activity="lecture", hours=1, content="入选前")
        with pytest.raises(ValidationError):
            svc.add_log(s, mid, entry_date=date(2025, 10, 1), activity="lecture", hours=25, content="太长")
        rows = {r["id"]: r for r in pst.member_rows(s, district.extra["p1"])}
        assert rows[mid]["hours"] == 2.0    # only approved entries count
        svc.submit_log(s, own.id)
        svc.review_log(s, own.id, approve=True, feedback="记录完整")
        rows = {r["id"]: r for r in pst.member_rows(s, district.extra["p1"])}
        assert rows[mid]["hours"] == 5.0


def test_evaluations_against_criteria_and_leaving_keeps_history(district):
    mid = district.extra["members"]["c1"]
    ext = district.extra["ext"]["phy"]
    five = dict.fromkeys(DEFAULT_CRITERIA, 4)
    with district.session(user="qian") as s:
        with pytest.raises(ValidationError) as e:
            svc.evaluate(s, mid, kind="midterm", term_code=TERM, eval_date=date(2025, 11, 20),
                         scores={"研究兴趣": 4}, mentor_id=ext)
        assert "缺少" in e.value.zh
        with pytest.raises(ValidationError):
            svc.evaluate(s, mid, kind="midterm", term_code=TERM, eval_date=date(2025, 11, 20),
                         scores=dict(five, 坚持性=6), mentor_id=ext)
        with pytest.raises(ValidationError):   # not this member's mentor
            svc.evaluate(s, mid, kind="midterm", term_code=TERM, eval_date=date(2025, 11, 20), scores=five,
                         mentor_id=district.extra["ext"]["ai"])
        svc.add_log(s, mid, entry_date=date(2025, 10, 20), activity="fieldwork", hours=4, content="河流采样")
        svc.evaluate(s, mid, kind="中期评价", term_code=TERM, eval_date=date(2025, 11, 20), scores=five,
                     mentor_id=ext, comment="进步明显")
        with pytest.raises(ValidationError):   # leaving needs a reason
            svc.evaluate(s, mid, kind="annual", term_code=TERM, eval_date=date(2025, 12, 20), scores=five,
                         result="leave", mentor_id=ext)
        svc.evaluate(s, mid, kind="annual", term_code=TERM, eval_date=date(2025, 12, 20), scores=five,
                     result="退出", reason="兴趣转向文学", mentor_id=ext)
        m = svc.get_member(s, mid)
        assert (m.status, m.left_on, m.leave_reason) == ("left", date(2025, 12, 20), "兴趣转向文学")
        row = next(r for r in pst.member_rows(s, district.extra["p2"], with_details=True) if r["id"] == mid)
        assert [e["result"] for e in row["evaluations"]] == ["continue", "leave"]
        assert row["evaluations"][0]["scores"] == five and row["evaluations"][0]["evaluator"] == "钱研究员"
        assert len(row["logs"]) == 1 and row["hours"] == 4.0
        # c1's awards and projects during the programme show on the page: the municipal maths
        # award of 2025-11-01; the water project ended before joining and does not.
        assert [a["text"] for a in row["awards"]] == ["市级三等奖·市中小学数学竞赛"] and row["projects"] == []
        with pytest.raises(ValidationError):
            svc.evaluate(s, mid, kind="annual", term_code=TERM, eval_date=date(2025, 12, 21), scores=five)
        svc.set_destination(s, mid, school="县第一高级中学", track="文科实验班", by="区教研员")
        assert svc.get_member(s, mid).destination_by == "区教研员"


# ---------------------------------------------------------------- follow

def test_chain_statistics_by_hand(district):
    with district.session(user="staff") as s:
        svc.leave(s, district.extra["members"]["c1"], on=date(2025, 12, 1), reason="转学")
        stats = pst.chain_statistics(s)
    tiers = {r["tier"]: (r["programmes"], r["members"], r["active"], r["left"]) for r in stats["by_tier"]}
    assert tiers == {"primary": (1, 3, 3, 0), "junior": (1, 3, 2, 1), "senior": (1, 2, 2, 0)}
    cat = {(r["tier"], r["category"]): (r["members"], r["population"], r["share"]) for r in stats["by_category"]}
    # primary: U1 urban has a0..a4 (5 persons), R1 rural d1, d2 (d3 is a tombstone)
    assert cat[("primary", "urban")] == (2, 5, 0.4) and cat[("primary", "rural")] == (1, 2, 0.5)
    assert cat[("primary", "town")] == (0, 0, 0.0)
    # junior: U2 urban b1..b3, T1 town c1..c3; senior: H1 town h1..h3
    assert cat[("junior", "urban")] == (1, 3, 0.333333) and cat[("junior", "town")] == (2, 3, 0.666667)
    assert cat[("senior", "town")] == (2, 3, 0.666667) and cat[("senior", "urban")] == (0, 0, 0.0)
    ret = {(r["from"], r["to"]): (r["members"], r["reached"], r["continued"], r["rate"]) for r in stats["retention"]}
    # primary members G0001, G0002, G0011: only G0001 reached a junior school, and joined P2
    assert ret[("primary", "junior")] == (3, 1, 1, 1.0)
    # junior members G0001, G0008, G0009: G0001 and G0009 reached H1; only G0001 joined P3
    assert ret[("junior", "senior")] == (3, 2, 1, 0.5)
    assert stats["paths"] == [{"path": "小学→初中→高中", "persons": 1}]
    assert [(c["name"], c["programmes"]) for c in stats["chain"]] == [
        ("林小川", ["小学·科创苗子班", "初中·学科特长班", "高中·拔尖人才班"])]
    load = {r["name"]: (r["members"], r["active"]) for r in stats["mentors"]}
    assert load == {"刘老师": (3, 3), "周教授": (5, 5), "陈老师": (3, 2), "钱研究员": (3, 2), "何老师": (2, 2)}


def test_mentor_record_export(district, tmp_path):
    ai = district.extra["ext"]["ai"]
    with district.session(user="zhou") as s:
        svc.add_log(s, district.extra["members"]["a1"], entry_date=date(2025, 10, 8), activity="lecture", hours=2.5,
                    content="讲座", mentor_id=ai)
        rec = pst.write_mentor_record(s, ai, tmp_path / "mentor.xlsx")
    assert rec["hours"] == 2.5 and len(rec["students"]) == 5
    a1 = next(x for x in rec["students"] if x["name"] == "王一鸣")
    assert a1["awards"] == [{"date": "2025-11-01", "text": "国家级一等奖·全国青少年人工智能创新挑战赛"}]
    assert a1["projects"] == [{"date": "2025-09-10", "text": "《智能垃圾分类装置》进行中"}]
    wb = load_workbook(tmp_path / "mentor.xlsx")
    assert wb.sheetnames == ["导师档案", "指导学生"]
    rows = list(wb["指导学生"].iter_rows(values_only=True))
    assert rows[0][0] == "学生" and len(rows) == 6
    assert any(r[0] == "王一鸣" and "全国青少年人工智能创新挑战赛" in r[8] for r in rows[1:])


def test_person_programmes_for_the_portfolio(district):
    with district.session() as s:
        svc.add_log(s, district.extra["members"]["b1"], entry_date=date(2025, 10, 1), activity="competition_training",
                    hours=3, content="物理竞赛培训")
        hist = pst.person_programmes(s, district.ids["h1"])   # the senior row sees every tier of the person
    # (the sample has every member joining on the same day: ordered by tier then)
    assert [(h["tier"], h["programme"]) for h in hist] == [("primary", "科创苗子班"), ("junior", "学科特长班"),
                                                          ("senior", "拔尖人才班")]
    assert hist[1]["hours"] == 3.0 and hist[1]["ext_mentor"] == "钱研究员"
