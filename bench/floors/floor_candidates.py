"""Floor for `programme candidates`: the same reads with bare sqlite3 and plain dicts — the
programme, the stage's term population, the awards (provincial or better) and concluded projects
in the programme's disciplines, the innovation scores of the term from the summary's stored
scores (top 10 %, ties in), the programme's nominations and members — and one JSON line out.
No ORM, no rule objects, no labels, no checks: the bare work any answer needs.

    python bench/floors/floor_candidates.py DISTRICT.db PROGRAMME_ID TERM
"""
import json
import sqlite3
import sys

db, programme, term = sys.argv[1], sys.argv[2], sys.argv[3]
con = sqlite3.connect(db)
tier, disc, owner_kind, owner = con.execute(
    "SELECT tier, disciplines, owner_kind, owner_code FROM programme WHERE id = ?", (programme,)).fetchone()
disc = [d for d in disc.split("、") if d]
year = int(term[:4])
school_cond = " AND s.school_code = ?" if owner_kind == "school" else ""
args = [tier, year, year] + ([owner] if owner_kind == "school" else [])
people, pop_ids = {}, {}
for sid, person, school, name in con.execute(
        "SELECT s.id, coalesce(nullif(s.person_key, ''), s.id), s.school_code, s.name FROM student s "
        "WHERE s.deleted = 0 AND s.stage = ? AND (EXISTS (SELECT 1 FROM enrollment e WHERE e.student_id = s.id "
        "AND e.school_year = ? AND e.deleted = 0) OR EXISTS (SELECT 1 FROM school_class c WHERE c.id = s.class_id "
        "AND c.school_year = ? AND c.deleted = 0))" + school_cond, args):
    people[person] = (sid, school, name)
    pop_ids[sid] = person
marks = ",".join("?" * len(disc))
hits = {}
for person, level, award, comp in con.execute(
        "SELECT coalesce(nullif(s.person_key, ''), s.id), r.level, r.award, c.name FROM competition_result_member m "
        "JOIN competition_result r ON r.id = m.result_id JOIN competition c ON c.id = r.competition_id "
        "JOIN student s ON s.id = m.student_id WHERE m.deleted = 0 AND r.deleted = 0 AND s.deleted = 0 "
        "AND r.verification != 'rejected' AND r.state = 'approved' AND r.level IN ('provincial', 'national', "
        f"'international') AND c.discipline IN ({marks})", disc):
    if person in people:
        hits.setdefault(person, []).append(f"{level}{award}{comp}")
for person, title in con.execute(
        "SELECT coalesce(nullif(s.person_key, ''), s.id), p.title FROM project_member pm JOIN innovation_project p "
        "ON p.id = pm.project_id JOIN student s ON s.id = pm.student_id WHERE pm.deleted = 0 AND p.deleted = 0 "
        f"AND s.deleted = 0 AND p.state = 'approved' AND p.status = 'concluded' AND p.discipline IN ({marks})", disc):
    if person in people:
        hits.setdefault(person, []).append(title)
scores = {}
for sid, score in con.execute("SELECT student_id, score FROM stats_summary_score WHERE term_code = ? AND "
                              "dimension = 'innovation' AND stage = ?", (term, tier)):
    person = pop_ids.get(sid)
    if person is not None and score > scores.get(person, -1.0):
        scores[person] = score
if scores:
    cut = sorted(scores.values(), reverse=True)[max(0, round(len(scores) * 0.1) - 1)]
    for person, score in scores.items():
        if score >= cut:
            hits.setdefault(person, []).append(f"innovation {score:.1f}")
noms = con.execute("SELECT id, person_key, student_id, decision FROM programme_nomination WHERE programme_id = ? "
                   "AND term_code = ? AND deleted = 0", (programme, term)).fetchall()
members = con.execute("SELECT person_key, student_id, status FROM programme_member WHERE programme_id = ? "
                      "AND deleted = 0", (programme,)).fetchall()
out = [{"person": p, "school": people[p][1], "name": people[p][2], "why": why} for p, why in hits.items()]
print(json.dumps({"candidates": out, "nominations": len(noms), "members": len(members)}, ensure_ascii=False))
