"""A member moves on: the district selects a primary pupil for its 小学科创苗子 programme (mentors,
growth log, evaluation); the pupil arrives at a junior school; after the district bundle
(``district publish``) the junior school's term portfolio PDF shows the programme history."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from growthdesk.db import open_database
from growthdesk.models import ProgrammeLogEntry, ProgrammeMember, Student
from growthdesk.services import programmes as svc
from growthdesk.services.students import person_key
from tests.test_sync_publish import TERM, _pdf_text, env, run, template  # noqa: F401  (fixtures)


def test_programme_history_reaches_the_next_schools_portfolio(env, capsys):  # noqa: F811
    t, pupil = env
    with open_database(t / "district.db") as d:
        key = person_key(d.settings["person_key_secret"], pupil["no"])
        with d.session(user="区教研员") as s:
            p_row = s.scalars(select(Student).where(Student.person_key == key, Student.school_code == "P0001")).one()
            prog = svc.create_programme(s, name="区小学科创苗子班", tier="primary", start_term="2024-2025-1",
                                        disciplines="人工智能")
            mi = svc.add_mentor(s, kind="in_school", name="刘老师", mentor_school="P0001")
            me = svc.add_mentor(s, kind="external", name="周教授", institution="示例大学", field="人工智能")
            n = svc.nominate(s, prog.id, term_code="2024-2025-1", by_kind="district", reason="科创活动表现突出",
                             student_id=p_row.id, on=date(2024, 9, 20))
            svc.decide(s, n.id, "selected", reason="面试优秀", on=date(2024, 9, 25), in_mentor_id=mi.id,
                       ext_mentor_id=me.id)
            member = svc.members(s, prog.id)[0]
            svc.add_log(s, member.id, entry_date=date(2024, 10, 12), activity="lab_day", hours=3,
                        content="机器人编程入门", mentor_feedback="动手能力强")
            svc.evaluate(s, member.id, kind="annual", term_code="2024-2025-2", eval_date=date(2025, 6, 20),
                         scores=dict.fromkeys(svc.criteria_of(prog), 4), comment="坚持完成全部活动",
                         mentor_id=me.id)
            svc.leave(s, member.id, on=date(2025, 7, 10), reason="小学毕业", status="completed")
            svc.set_destination(s, member.id, school="示例初中", track="初中学科特长（人工智能）")
    code, out, err = run(capsys, "district", "publish", "--db", t / "district.db", "--out", t / "down",
                         "--school", "J0001", "--json")
    assert code == 0, err
    bundle = json.loads(out)["bundles"][0]["path"]
    code, out, err = run(capsys, "bundle", "import", "--db", t / "J.db", bundle, "--json")
    assert code == 0, err
    counts = json.loads(out)["bundles"][0]["counts"]
    assert counts["programme"]["inserted"] == 1 and counts["programme_member"]["inserted"] == 1
    assert counts["programme_mentor"]["inserted"] == 2 and counts["programme_log_entry"]["inserted"] == 1
    with open_database(t / "J.db") as j, j.session() as s:
        m = s.scalars(select(ProgrammeMember)).one()
        assert m.student_id == pupil["j_id"] and m.student_school == "P0001" and m.status == "completed"
        assert s.scalars(select(ProgrammeLogEntry)).one().content == "机器人编程入门"
    code, out, err = run(capsys, "portfolio", "--db", t / "J.db", "--term", "2024-2025-1", "--student", pupil["no"],
                         "--out", t / "p.pdf")
    assert code == 0, err
    text = _pdf_text(t / "p.pdf").replace("\n", "")
    for needle in ("培养项目", "区小学科创苗子班", "刘老师", "周教授（示例大学）", "机器人编程入门", "动手能力强"):
        assert needle in text, needle
    # The next bundle up from J carries none of these rows back (they are the district's).
    code, out, err = run(capsys, "sync", "--db", t / "J.db", "--folder", t / "F", "--json")
    assert code == 0 and json.loads(out)["sent"] == [], out
