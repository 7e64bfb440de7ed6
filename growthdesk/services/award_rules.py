"""An award checked against the catalog of its year before it is submitted and approved.

- A national-list competition must be on the list of the award's school year (the list's
  edition ``2025-2028`` covers the school years 2025, 2026 and 2027) and open to the stage of
  every student named.
- Rules stored with a catalog entry (``rules`` in ``resources/reference/competitions_national.json``,
  e.g. 全国青少年科技创新大赛: at most 3 members, all of one stage; the olympiads: one student)
  are enforced with the rule's own wording.
- An award at 市级 or above needs its certificate (a certificate number or a certificate /
  photo evidence file) before it can be approved.
"""

from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import Competition, CompetitionResult, CompetitionResultMember, Evidence, Student
from ..models.enums import LEVELS, STAGES, label
from ..paths import resource

CERTIFICATE_LEVELS = ("international", "national", "provincial", "municipal")


@lru_cache(maxsize=1)
def catalog_rules() -> dict[str, dict]:
    """Competition id → its rules from the shipped catalog (empty when none)."""
    try:
        doc = json.loads(resource("reference", "competitions_national.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {e["id"]: dict(e.get("rules") or {}) for e in doc.get("competitions", []) if e.get("id")}


def edition_years(edition: str) -> range | None:
    """``2025-2028`` → school years 2025..2027; None when the edition says no years."""
    try:
        first, last = (int(x) for x in edition.replace("—", "-").split("-")[:2])
    except (ValueError, AttributeError):
        return None
    return range(first, last) if first < last else None


def _year_text(y: int) -> str:
    return f"{y}—{y + 1}学年"


def award_problems(s: Session, r: CompetitionResult | None, *, need_certificate: bool = False) -> list[tuple[str, str]]:
    """Every reason (zh, en) this award breaks the catalog's rules; empty when it is fine."""
    if r is None:
        return []
    comp = s.get(Competition, r.competition_id)
    members = list(s.execute(select(Student.name, Student.stage).join(
        CompetitionResultMember, CompetitionResultMember.student_id == Student.id).where(
        CompetitionResultMember.result_id == r.id, CompetitionResultMember.deleted.is_(False))))
    return _problems(r, comp, members, has_certificate(s, r) if need_certificate else None)


def _problems(r: CompetitionResult, comp: Competition | None, members, certified: bool | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if comp is not None and comp.on_national_list:
        years = edition_years(comp.list_edition)
        if years is not None and r.school_year not in years:
            out.append((f"“{comp.name}”不在{_year_text(r.school_year)}的全国性竞赛名单上（名单适用于"
                        f"{_year_text(years.start)}至{_year_text(years.stop - 1)}）",
                        f"{comp.name!r} is not on the national list for school year {r.school_year} "
                        f"(the list covers {years.start}-{years.stop - 1})"))
        allowed = set(comp.stages.split(","))
        wrong = [(n, st) for n, st in members if st not in allowed]
        if wrong:
            open_zh = "、".join(label(STAGES, x) for x in STAGES if x in allowed)
            names = "、".join(f"{n}（{label(STAGES, st)}）" for n, st in wrong)
            out.append((f"“{comp.name}”只面向{open_zh}学生，{names}不符合",
                        f"{comp.name!r} is open to {', '.join(sorted(allowed))} only; "
                        f"{len(wrong)} member(s) are of another stage"))
    rules = catalog_rules().get(r.competition_id, {}) if comp is not None else {}
    max_team = rules.get("max_team")
    text = rules.get("text", "")
    if max_team and len(members) > int(max_team):
        out.append((f"“{comp.name}”{text or f'每项获奖最多 {max_team} 人'}，这条记录有 {len(members)} 人",
                    f"{comp.name!r} allows at most {max_team} student(s) per award; this one names {len(members)}"))
    if rules.get("same_stage") and len({st for _, st in members}) > 1:
        out.append((f"“{comp.name}”{text or '队员须为同一学段'}，这支队伍跨了学段",
                    f"{comp.name!r} requires all team members to be of one stage"))
    if certified is False and r.level in CERTIFICATE_LEVELS:
        out.append((f"{label(LEVELS, r.level)}及以上的获奖须有证书（证书编号或证书照片）才能通过审核",
                    f"an award at {r.level} level or above needs a certificate (number or photo) before approval"))
    return out


def problems_many(s: Session, results: list[CompetitionResult], *, need_certificate: bool = False
                  ) -> dict[str, list[tuple[str, str]]]:
    """``award_problems`` for many results in a few queries (bulk approval, the review queue)."""
    if not results:
        return {}
    ids = [r.id for r in results]
    comps = {c.id: c for c in s.scalars(select(Competition).where(
        Competition.id.in_(sorted({r.competition_id for r in results}))))}
    members: dict[str, list[tuple[str, str]]] = {}
    certified: set[str] = {r.id for r in results if (r.certificate_no or "").strip()}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for rid, name, stage in s.execute(
                select(CompetitionResultMember.result_id, Student.name, Student.stage)
                .join(Student, Student.id == CompetitionResultMember.student_id)
                .where(CompetitionResultMember.result_id.in_(chunk), CompetitionResultMember.deleted.is_(False))):
            members.setdefault(rid, []).append((name, stage))
        if need_certificate:
            certified.update(s.scalars(select(Evidence.owner_id).where(
                Evidence.owner_type == "result", Evidence.owner_id.in_(chunk), Evidence.deleted.is_(False),
                Evidence.kind.in_(("certificate", "photo")))))
    return {r.id: _problems(r, comps.get(r.competition_id), members.get(r.id, []),
                            None if not need_certificate else r.id in certified) for r in results}


def has_certificate(s: Session, r: CompetitionResult) -> bool:
    if (r.certificate_no or "").strip():
        return True
    return bool(s.scalar(select(func.count()).select_from(Evidence).where(
        Evidence.owner_type == "result", Evidence.owner_id == r.id, Evidence.deleted.is_(False),
        Evidence.kind.in_(("certificate", "photo")))))


def _raise(problems: list[tuple[str, str]], r: CompetitionResult) -> None:
    if problems:
        raise ValidationError("；".join(p[0] for p in problems), "; ".join(p[1] for p in problems),
                              field="competition_id", value=r.id)


def require_award_rules(s: Session, r: CompetitionResult) -> None:
    """The catalog's rules (list year, stages, team rules): raise with every reason found."""
    _raise(award_problems(s, r), r)


def require_certificate(s: Session, r: CompetitionResult) -> None:
    if r.level in CERTIFICATE_LEVELS and not has_certificate(s, r):
        _raise([(f"{label(LEVELS, r.level)}获奖须有证书（证书编号或证书照片）才能通过审核",
                 f"an award at {r.level} level needs a certificate (number or photo) before approval")], r)
