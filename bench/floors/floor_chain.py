"""Floor for `programme chain`: the same reads with bare sqlite3 — members with their programme's
tier, the stages their persons reached, the population by stage and school category, approved
log hours per member, the mentors — counted in plain dicts, one JSON line out.

    python bench/floors/floor_chain.py DISTRICT.db
"""
import json
import sqlite3
import sys

con = sqlite3.connect(sys.argv[1])
tiers, cats = {}, {}
for person, tier, category, status in con.execute(
        "SELECT coalesce(nullif(m.person_key, ''), nullif(s.person_key, ''), m.student_id, m.id), g.tier, "
        "sc.category, m.status FROM programme_member m JOIN programme g ON g.id = m.programme_id "
        "LEFT JOIN student s ON s.id = m.student_id LEFT JOIN school sc ON sc.code = m.student_school "
        "WHERE m.deleted = 0 AND g.deleted = 0"):
    tiers.setdefault(person, set()).add(tier)
    cats[(tier, category)] = cats.get((tier, category), 0) + 1
reached = {}
for person, stage in con.execute("SELECT DISTINCT s.person_key, s.stage FROM student s JOIN programme_member m "
                                 "ON m.person_key = s.person_key WHERE s.deleted = 0 AND m.deleted = 0 "
                                 "AND s.person_key != ''"):
    reached.setdefault(person, set()).add(stage)
population = con.execute("SELECT school_code, stage, count(*) FROM student WHERE deleted = 0 AND "
                         "status != 'transferred_out' GROUP BY school_code, stage").fetchall()
hours = dict(con.execute("SELECT member_id, sum(hours) FROM programme_log_entry WHERE deleted = 0 AND "
                         "state = 'approved' GROUP BY member_id").fetchall())
load = {}
for mid, a, b in con.execute("SELECT id, in_mentor_id, ext_mentor_id FROM programme_member WHERE deleted = 0"):
    for mentor in {a, b} - {None}:
        load[mentor] = load.get(mentor, 0.0) + (hours.get(mid) or 0)
names = dict(con.execute("SELECT id, name FROM programme_mentor WHERE deleted = 0").fetchall())
chain = [p for p, ts in tiers.items() if len(ts) > 1]
print(json.dumps({"persons": len(tiers), "chain": len(chain), "categories": len(cats), "population": len(population),
                  "reached": len(reached), "mentors": {names.get(k, k): v for k, v in load.items()}}, ensure_ascii=False))
