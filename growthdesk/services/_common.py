"""Small helpers shared by the service modules (not part of the public API)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, ValidationError
from ..models import Setting
from .rules import RuleError, check_text


def today() -> date:
    return date.today()


def setting(s: Session, key: str, default: str = "") -> str:
    row = s.get(Setting, key)
    return default if row is None else row.value


def get_live(s: Session, model, record_id: Any, zh_what: str, en_what: str, field: str):
    """The non-deleted record ``record_id`` of ``model`` or a bilingual NotFoundError."""
    obj = s.get(model, record_id) if record_id else None
    if obj is None or getattr(obj, "deleted", False):
        raise NotFoundError(f"找不到{zh_what}：{record_id}", f"{en_what} not found: {record_id}",
                            field=field, value=record_id)
    return obj


def live(model):
    """``select(model)`` restricted to rows that are not tombstones."""
    return select(model).where(model.deleted.is_(False))


def as_date(value: Any, field: str, zh_name: str, *, required: bool = True) -> date | None:
    """Accept a ``date``, a ``datetime`` or an ISO string; anything else is a ValidationError."""
    if value is None or value == "":
        if required:
            raise ValidationError(f"请填写{zh_name}", f"{field} is required", field=field)
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from .dates import parse_date  # 2025-11-20, 2025/11/20, 2025.11.20, 2025年11月20日, 20251120, 11月20日
        d = parse_date(value, today())
        if d is not None:
            return d
    raise ValidationError(f"{zh_name}不是有效日期：{value}（可写 2025-09-01、2025/9/1、2025年9月1日 或 9月1日）",
                          f"{field} is not a valid date: {value!r} (e.g. 2025-09-01, 2025/9/1 or 20250901)",
                          field=field, value=value)


def not_future(d: date, field: str, zh_name: str) -> date:
    if d > today():
        raise ValidationError(f"{zh_name}不能晚于今天：{d.isoformat()}",
                              f"{field} cannot be in the future: {d.isoformat()}", field=field, value=d)
    return d


def required_text(value: Any, field: str, zh_name: str, max_len: int) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(f"请填写{zh_name}", f"{field} is required", field=field)
    return bounded_text(text, field, zh_name, max_len)


def bounded_text(value: Any, field: str, zh_name: str, max_len: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_len:
        raise ValidationError(f"{zh_name}过长（最多 {max_len} 字）：{text[:20]}…",
                              f"{field} is too long (at most {max_len} characters)", field=field, value=text)
    try:  # the same rule every imported bundle row obeys (services.rules)
        check_text(text)
    except RuleError as exc:
        raise ValidationError(f"{zh_name}{exc.zh}", f"{field} {exc.en}", field=field, value=text) from None
    return text


def vocab_code(vocab: dict[str, tuple[str, str]], value: Any, field: str, zh_name: str) -> str:
    """A closed-vocabulary code, also accepting its Chinese or English label (国家级 → national)."""
    text = "" if value is None else str(value).strip()
    if text in vocab:
        return text
    for code, (zh, en) in vocab.items():
        if text in (zh, zh.rstrip("级")) or text.lower() in (en.lower(), code.lower()):
            return code
    # A unique start of a Chinese label is what people type: 教师 → 教师评价, 校外 → 校外导师.
    starts = [code for code, (zh, _) in vocab.items() if len(text) >= 2 and zh.startswith(text)]
    if len(starts) == 1:
        return starts[0]
    valid_zh = "、".join(zh for zh, _ in vocab.values())
    valid_en = ", ".join(vocab)
    raise ValidationError(f"{zh_name}无效：{text or '（空）'}；可选：{valid_zh}",
                          f"invalid {field}: {text!r}; valid: {valid_en}", field=field, value=value)


def only_editable(changes: dict, editable) -> None:
    """Refuse an edit that names a field the record does not let anyone change."""
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise ValidationError(f"不能修改的字段：{', '.join(unknown)}",
                              f"fields that cannot be changed: {', '.join(unknown)}", field=unknown[0])
