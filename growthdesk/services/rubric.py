"""The evaluation rubric (DESIGN §3) and scoring: term scores, overall score, value added.

A term score per dimension is the role-weighted mean of the term's process evaluations:
evaluations by one role are averaged first, then the role means are combined with the
rubric's role weights, renormalised over the roles that actually evaluated. The overall
score is the dimension-weighted mean over the dimensions that have a score (renormalised).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import ProcessEvaluation, Rubric
from ..models.enums import EVALUATOR_ROLES
from ..paths import resource
from .terms import normalise_term_code, previous_term_code

WEIGHT_TOLERANCE = 0.001
_IN_LIMIT = 30000  # SQLite allows 32766 bound parameters per statement


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True)
class Dimension:
    code: str
    short_zh: str
    name_zh: str
    name_en: str
    weight: float
    indicators: tuple[Indicator, ...] = ()

    def name(self, lang: str = "zh_CN") -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Level:
    code: str
    label_zh: str
    label_en: str
    score: float
    min: float

    def label(self, lang: str = "zh_CN") -> str:
        return self.label_zh if lang.startswith("zh") else self.label_en


@dataclass(frozen=True)
class RubricDoc:
    code: str
    name_zh: str
    name_en: str
    dimensions: tuple[Dimension, ...]
    levels: tuple[Level, ...]          # highest first
    role_weights: dict[str, float] = field(default_factory=dict)
    version: int = 1

    @property
    def dimension_codes(self) -> list[str]:
        return [d.code for d in self.dimensions]

    def dimension(self, code: str) -> Dimension:
        """By code, or as people write it: 德, 思想品德, Moral character."""
        text = str(code or "").strip()
        for d in self.dimensions:
            if d.code == text:
                return d
        for d in self.dimensions:
            if text and (text in (d.short_zh, d.name_zh) or text.lower() in (d.code.lower(), d.name_en.lower())):
                return d
        raise ValidationError(f"评价维度无效：{code}；可选：{'、'.join(d.short_zh + d.code for d in self.dimensions)}",
                              f"unknown dimension {code!r}; valid: {', '.join(self.dimension_codes)}",
                              field="dimension", value=code)

    def level(self, code: str) -> Level:
        text = str(code or "").strip()
        for lv in self.levels:
            if text.upper() == lv.code.upper() or text == lv.label_zh or text.lower() == lv.label_en.lower():
                return lv
        raise ValidationError(f"评价等级无效：{code}；可选：{'、'.join(lv.code for lv in self.levels)}",
                              f"unknown level {code!r}; valid: {', '.join(lv.code for lv in self.levels)}",
                              field="level", value=code)

    def level_score(self, level: str) -> float:
        return self.level(level).score

    def level_for_score(self, score: float) -> Level:
        check_score(score)
        for lv in self.levels:
            if score >= lv.min:
                return lv
        return self.levels[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"format": "growthdesk-rubric", "version": self.version, "code": self.code,
                "name_zh": self.name_zh, "name_en": self.name_en,
                "scale": {"levels": [asdict(lv) for lv in self.levels]},
                "dimensions": [{**{k: v for k, v in asdict(d).items() if k != "indicators"},
                                "indicators": [asdict(i) for i in d.indicators]} for d in self.dimensions],
                "role_weights": dict(self.role_weights)}


def check_score(score) -> float:
    try:
        value = float(score)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0 <= value <= 100:  # NaN fails too
        raise ValidationError(f"分数应在 0–100 之间：{score}", f"score must be between 0 and 100: {score!r}",
                              field="score", value=score)
    return value


# ---------------------------------------------------------------- loading

def _bad(zh: str, en: str, value=None) -> ValidationError:
    return ValidationError(f"评价方案有误：{zh}", f"invalid rubric: {en}", field="rubric", value=value)


def _weight(value, where: str) -> float:
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise _bad(f"{where} 的权重不是数字", f"weight of {where} is not a number", value) from None
    if not 0 <= w <= 1:
        raise _bad(f"{where} 的权重应在 0–1 之间", f"weight of {where} must be within 0-1", value)
    return w


def _unique(codes: list[str], what_zh: str, what_en: str) -> None:
    seen = set()
    for c in codes:
        if not c:
            raise _bad(f"{what_zh}代码为空", f"empty {what_en} code")
        if c in seen:
            raise _bad(f"{what_zh}代码重复：{c}", f"duplicate {what_en} code {c!r}", c)
        seen.add(c)


def _sums_to_one(weights: list[float], what_zh: str, what_en: str) -> None:
    total = sum(weights)
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise _bad(f"{what_zh}权重之和应为 1（现为 {total:g}）", f"{what_en} weights must sum to 1 (they sum to {total:g})", total)


def _dimensions(raw) -> tuple[Dimension, ...]:
    if not isinstance(raw, list) or not raw:
        raise _bad("缺少评价维度", "no dimensions")
    out = []
    for d in raw:
        code = str(d.get("code", "")).strip()
        inds = tuple(Indicator(str(i.get("code", "")).strip(), str(i.get("name_zh", "")), str(i.get("name_en", "")))
                     for i in d.get("indicators", []) or [])
        _unique([i.code for i in inds], f"维度 {code} 的指标", f"indicator of {code}")
        out.append(Dimension(code=code, short_zh=str(d.get("short_zh", "")), name_zh=str(d.get("name_zh", code)),
                             name_en=str(d.get("name_en", code)), weight=_weight(d.get("weight"), code),
                             indicators=inds))
    _unique([d.code for d in out], "维度", "dimension")
    _sums_to_one([d.weight for d in out], "维度", "dimension")
    return tuple(out)


def _levels(raw) -> tuple[Level, ...]:
    levels = (raw or {}).get("levels") if isinstance(raw, dict) else None
    if not levels:
        raise _bad("缺少评价等级", "no scale levels")
    out = []
    for lv in levels:
        code = str(lv.get("code", "")).strip()
        try:
            score, low = float(lv["score"]), float(lv.get("min", 0))
        except (KeyError, TypeError, ValueError):
            raise _bad(f"等级 {code} 缺少分数", f"level {code!r} has no numeric score", code) from None
        if not (0 <= low <= score <= 100):
            raise _bad(f"等级 {code} 的分数应满足 0 ≤ min ≤ score ≤ 100", f"level {code!r} needs 0 <= min <= score <= 100", code)
        out.append(Level(code, str(lv.get("label_zh", code)), str(lv.get("label_en", code)), score, low))
    _unique([lv.code for lv in out], "等级", "level")
    out.sort(key=lambda lv: lv.min, reverse=True)
    if out[-1].min != 0:
        raise _bad("最低等级的 min 应为 0", "the lowest level must have min 0")
    if len({lv.min for lv in out}) != len(out):
        raise _bad("各等级的 min 不能相同", "levels must have different min values")
    return tuple(out)


def _role_weights(raw) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise _bad("缺少评价主体权重", "no role weights")
    out = {}
    for role, w in raw.items():
        if role not in EVALUATOR_ROLES:
            raise _bad(f"未知的评价主体：{role}", f"unknown evaluator role {role!r}", role)
        out[role] = _weight(w, role)
    _sums_to_one(list(out.values()), "评价主体", "role")
    return out


def load_rubric(source: dict | str | Path) -> RubricDoc:
    """A rubric from its JSON document (a dict, a JSON string or a file path), checked."""
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        try:
            source = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _bad(f"无法读取文件 {source}：{exc}", f"cannot read {source}: {exc}", str(source)) from None
    elif isinstance(source, str):
        try:
            source = json.loads(source)
        except ValueError as exc:
            raise _bad(f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}") from None
    if not isinstance(source, dict):
        raise _bad("应为 JSON 对象", "must be a JSON object")
    code = str(source.get("code", "")).strip()
    if not code:
        raise _bad("缺少方案代码 code", "missing code")
    return RubricDoc(code=code, name_zh=str(source.get("name_zh", code)), name_en=str(source.get("name_en", code)),
                     dimensions=_dimensions(source.get("dimensions")), levels=_levels(source.get("scale")),
                     role_weights=_role_weights(source.get("role_weights")), version=int(source.get("version", 1)))


_DEFAULT: RubricDoc | None = None


def default_rubric() -> RubricDoc:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rubric(resource("reference", "rubric_default.json"))
    return _DEFAULT


_PARSED: dict[str, RubricDoc] = {}


def active_rubric(s: Session) -> RubricDoc:
    """The database's active rubric, or the bundled default when none is installed."""
    row = s.scalars(select(Rubric).where(Rubric.active.is_(True)).order_by(Rubric.code)).first()
    if row is None:
        return default_rubric()
    doc = _PARSED.get(row.document)  # parsing is cheap, but the grid asks for it per cell
    if doc is None:
        doc = _PARSED[row.document] = load_rubric(json.loads(row.document))
    return doc


def install_rubric(s: Session, doc: RubricDoc | dict, activate: bool = True) -> Rubric:
    """Store a rubric (replacing one with the same code); make it the only active one."""
    if not isinstance(doc, RubricDoc):
        doc = load_rubric(doc)
    text = json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True)
    row = s.get(Rubric, doc.code)
    if row is None:
        row = Rubric(code=doc.code, name=doc.name_zh[:100], document=text, active=False)
        s.add(row)
    else:
        row.name, row.document = doc.name_zh[:100], text
    if activate:
        for other in s.scalars(select(Rubric).where(Rubric.active.is_(True), Rubric.code != doc.code)):
            other.active = False
        row.active = True
    s.flush()
    return row


def level_score(level: str, rubric: RubricDoc | None = None) -> float:
    """The score a level stands for (default rubric unless one is given): B → 85."""
    return (rubric or default_rubric()).level_score(level)


def level_for_score(score: float, rubric: RubricDoc | None = None) -> str:
    """The level *code* for a 0–100 score (``RubricDoc.level_for_score`` gives the Level): 88 → B."""
    return (rubric or default_rubric()).level_for_score(score).code


# ---------------------------------------------------------------- scoring

def combine_roles(role_means: dict[str, float], rubric: RubricDoc) -> float | None:
    """Role-weighted mean of per-role means, renormalised over the roles present (weight > 0)."""
    num = den = 0.0
    for role, mean in role_means.items():
        w = rubric.role_weights.get(role, 0.0)
        num += w * mean
        den += w
    return num / den if den > 0 else None


def overall_score(scores: dict[str, float | None], rubric: RubricDoc) -> float | None:
    """Dimension-weighted mean over the dimensions that have a score (renormalised)."""
    num = den = 0.0
    for d in rubric.dimensions:
        value = scores.get(d.code)
        if value is None or d.weight <= 0:
            continue
        num += d.weight * value
        den += d.weight
    return num / den if den > 0 else None


def class_term_scores(s: Session, student_ids, term_code: str,
                      rubric: RubricDoc | None = None) -> dict[str, dict[str, float]]:
    """{student_id: {dimension: score}} for many students in one grouped query.
    Students without evaluations map to ``{}``."""
    code = normalise_term_code(term_code)
    rubric = rubric or active_rubric(s)
    ids = list(dict.fromkeys(student_ids))
    weights = {role: w for role, w in rubric.role_weights.items() if w > 0}
    dims = set(rubric.dimension_codes)
    # (student, dimension) → [Σ weight·role mean, Σ weight]: combine_roles folded into the row loop,
    # because a 500-student grade returns ~20k (student, dimension, role) groups.
    acc: dict[tuple[str, str], list[float]] = {}
    for start in range(0, len(ids), _IN_LIMIT):
        q = (select(ProcessEvaluation.student_id, ProcessEvaluation.dimension, ProcessEvaluation.evaluator_role,
                    func.avg(ProcessEvaluation.score))
             .where(ProcessEvaluation.term_code == code, ProcessEvaluation.deleted.is_(False),
                    ProcessEvaluation.student_id.in_(ids[start:start + _IN_LIMIT]))
             .group_by(ProcessEvaluation.student_id, ProcessEvaluation.dimension, ProcessEvaluation.evaluator_role))
        for sid, dim, role, mean in s.execute(q):
            w = weights.get(role)
            if w is None or dim not in dims:
                continue
            pair = acc.get((sid, dim))
            if pair is None:
                acc[(sid, dim)] = [w * mean, w]
            else:
                pair[0] += w * mean
                pair[1] += w
    found: dict[str, dict[str, float]] = {sid: {} for sid in ids}
    for (sid, dim), (num, den) in acc.items():
        found[sid][dim] = num / den
    order = rubric.dimension_codes
    return {sid: {d: sc[d] for d in order if d in sc} if len(sc) > 1 else sc for sid, sc in found.items()}


def term_scores(s: Session, student_id: str, term_code: str, rubric: RubricDoc | None = None) -> dict[str, float]:
    return class_term_scores(s, [student_id], term_code, rubric)[student_id]


def value_added(s: Session, student_id: str, term_code: str,
                rubric: RubricDoc | None = None) -> dict[str, float | None]:
    """{dimension: this term's score minus the previous term's, or None when either is missing}."""
    rubric = rubric or active_rubric(s)
    now = term_scores(s, student_id, term_code, rubric)
    before = term_scores(s, student_id, previous_term_code(term_code), rubric)
    return {d: (now[d] - before[d]) if d in now and d in before else None for d in rubric.dimension_codes}


def class_value_added(s: Session, student_ids, term_code: str,
                      rubric: RubricDoc | None = None) -> dict[str, dict[str, float | None]]:
    """value_added for many students in two queries."""
    rubric = rubric or active_rubric(s)
    now = class_term_scores(s, student_ids, term_code, rubric)
    before = class_term_scores(s, student_ids, previous_term_code(term_code), rubric)
    return {sid: {d: (now[sid][d] - before[sid][d]) if d in now[sid] and d in before[sid] else None
                  for d in rubric.dimension_codes} for sid in now}


__all__ = ["RubricDoc", "Dimension", "Level", "Indicator", "load_rubric", "default_rubric", "active_rubric",
           "install_rubric", "level_score", "level_for_score", "term_scores", "overall_score", "value_added",
           "class_term_scores", "class_value_added", "combine_roles", "check_score"]
