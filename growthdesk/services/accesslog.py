"""The access log: every read that matters, hash-chained, kept at least six months.

``record(s, action, student_ids, detail=..., reason=...)`` appends one entry in the caller's
session (so an export that fails leaves no entry, and one that succeeds always has one). Each
entry's hash covers the previous entry's hash and its own fields; the newest hash and the
number of entries are kept in ``gd_setting`` too, so ``verify`` finds an edited entry, a
deleted one (also the newest), and one inserted out of order. Entries older than the kept
period (``access_log_keep_days``, never less than 183 days) may be purged by an admin; the
hash of the last purged entry becomes the anchor the chain starts from.

The log holds record ids (UUIDs), counts and what was done, never a student's name or ID number:
``detail`` is checked for anything that looks like a 学籍号 or resident ID number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import AccessLog, Setting, utcnow

MIN_KEEP_DAYS = 183  # 网络安全法 art. 21: at least six months
DEFAULT_KEEP_DAYS = 365
ACTIONS = {
    "view_student": ("查看学生档案", "opened a student's record"),
    "print_portfolio": ("打印成长档案", "printed portfolios"),
    "export_sheet": ("导出表格", "exported a spreadsheet"),
    "export_bundle": ("导出同步数据包", "exported a sync bundle"),
    "person_history": ("查询学生跨校记录", "looked up a person's history"),
    "guardian_export": ("为监护人导出全部信息", "exported everything about a student for a guardian"),
    "guardian_correct": ("按监护人要求更正", "corrected a record at a guardian's request"),
    "guardian_delete": ("按监护人要求删除", "deleted a student at a guardian's request"),
    "retention_delete": ("到期删除", "deleted students past the retention period"),
    "retention_anonymise": ("到期匿名化", "anonymised students past the retention period"),
    "export_access_log": ("导出访问日志", "exported the access log"),
    "purge_access_log": ("清理过期访问日志", "removed access-log entries past the kept period"),
}
REASON_REQUIRED = {"person_history", "guardian_export", "guardian_correct", "guardian_delete"}
_ID_LIKE = re.compile(r"[GLgl]?\d{15,18}[0-9Xx]?|[GLgl][0-9A-Za-z]{17,18}")
_HEAD, _COUNT, _ANCHOR = "access_log_head", "access_log_count", "access_log_anchor"


def _hash(prev: str, e: AccessLog) -> str:
    body = json.dumps([prev, e.at.isoformat(timespec="microseconds"), e.user, e.action, e.student_count,
                       e.student_ids, e.detail, e.reason], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _setting(s: Session, key: str, default: str = "") -> str:
    row = s.get(Setting, key)
    return row.value if row is not None else default


def _put(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def _clean(text: str, limit: int = 500) -> str:
    return _ID_LIKE.sub("***", str(text or ""))[:limit]


def record(s: Session, action: str, student_ids=(), *, detail: str = "", reason: str = "",
           user: str | None = None) -> AccessLog:
    """Append one entry (who = the session's user unless ``user``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    reason = str(reason or "").strip()
    if action in REASON_REQUIRED and len(reason) < 2:
        raise ValidationError("请填写查询原因（会记入访问日志）", "state the reason (it is written to the access log)",
                              field="reason")
    ids = sorted({str(i) for i in student_ids if i})
    with s.no_autoflush:
        prev = _setting(s, _HEAD) or _setting(s, _ANCHOR)
        count = int(_setting(s, _COUNT, "0") or 0)
    entry = AccessLog(at=utcnow(), user=str(user if user is not None else s.info.get("user") or "")[:64], action=action,
                      student_count=len(ids), student_ids=",".join(ids), detail=_clean(detail),
                      reason=_clean(reason, 300), prev_hash=prev)
    entry.entry_hash = _hash(prev, entry)
    s.add(entry)
    _put(s, _HEAD, entry.entry_hash)
    _put(s, _COUNT, str(count + 1))
    s.flush()
    return entry


@dataclass
class Verification:
    ok: bool
    entries: int
    problem_zh: str = ""
    problem_en: str = ""
    entry_id: int | None = None


def verify(s: Session) -> Verification:
    """Walk the chain: an edited, deleted or inserted entry is found and named."""
    prev = _setting(s, _ANCHOR)
    n = 0
    for e in s.scalars(select(AccessLog).order_by(AccessLog.id)).yield_per(2000):
        n += 1
        if e.prev_hash != prev:
            return Verification(False, n, f"第 {e.id} 条之前的记录被删除或插入过", f"an entry before #{e.id} was deleted "
                                "or inserted", e.id)
        if _hash(prev, e) != e.entry_hash:
            return Verification(False, n, f"第 {e.id} 条记录被修改过", f"entry #{e.id} was edited", e.id)
        prev = e.entry_hash
    if prev != (_setting(s, _HEAD) or _setting(s, _ANCHOR)) or n != int(_setting(s, _COUNT, "0") or 0):
        return Verification(False, n, "最新的记录被删除过", "the newest entries were deleted", None)
    return Verification(True, n)


def keep_days(s: Session) -> int:
    return max(MIN_KEEP_DAYS, int(_setting(s, "access_log_keep_days", str(DEFAULT_KEEP_DAYS)) or DEFAULT_KEEP_DAYS))


def purge_old(s: Session, now: datetime | None = None) -> int:
    """Remove entries older than the kept period (never younger than six months); the chain
    continues from the last removed entry's hash."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days(s))
    last = s.scalars(select(AccessLog).where(AccessLog.at < cutoff).order_by(AccessLog.id.desc()).limit(1)).first()
    if last is None:
        return 0
    n = s.scalar(select(func.count()).select_from(AccessLog).where(AccessLog.id <= last.id))
    _put(s, _ANCHOR, last.entry_hash)
    s.execute(delete(AccessLog).where(AccessLog.id <= last.id))
    _put(s, _COUNT, str(int(_setting(s, _COUNT, "0")) - n))
    if not s.scalar(select(func.count()).select_from(AccessLog)):
        _put(s, _HEAD, "")
    s.flush()
    return n


def purge_due(db, now: datetime | None = None) -> int:
    """At app start: remove the entries past the kept period (never younger than six months),
    and say so in the log itself. Only the access log: students past the retention period are
    never removed without the admin's confirmation (``retention``). A failure never stops the
    app starting (the entries stay until the next start)."""
    try:
        with db.session(user="system") as s:
            n = purge_old(s, now)
            if n:
                record(s, "purge_access_log", detail=f"{n} entries older than {keep_days(s)} days", user="system")
        return n
    except Exception:  # noqa: BLE001 - a read-only or busy file: next time
        return 0


def entries(s: Session, *, since: datetime | None = None, limit: int | None = None) -> list[AccessLog]:
    q = select(AccessLog).order_by(AccessLog.id.desc())
    if since is not None:
        q = q.where(AccessLog.at >= since)
    if limit:
        q = q.limit(limit)
    return list(s.scalars(q))


def action_label(action: str, lang: str = "zh_CN") -> str:
    zh, en = ACTIONS.get(action, (action, action))
    return zh if lang.startswith("zh") else en


HEADERS = {"zh_CN": ["序号", "时间（UTC）", "账户", "操作", "学生人数", "学生记录编号", "内容", "原因", "哈希"],
           "en": ["No.", "Time (UTC)", "Account", "Action", "Students", "Student record ids", "What", "Reason", "Hash"]}


def export_csv(s: Session, out: str | Path, lang: str = "zh_CN") -> int:
    """The whole log as a CSV (UTF-8 with BOM, opens in Excel), owner-only; logged itself."""
    from ..fileperms import private_file
    rows = list(reversed(entries(s)))
    out = Path(out)
    with private_file(out, "wb") as fh:
        fh.write("\ufeff".encode("utf-8"))
        text = _rows_csv(rows, lang)
        fh.write(text.encode("utf-8"))
    record(s, "export_access_log", detail=out.name)
    return len(rows)


def _rows_csv(rows: list[AccessLog], lang: str) -> str:
    import io
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS["zh_CN" if lang.startswith("zh") else "en"])
    for e in rows:
        w.writerow([e.id, e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user, action_label(e.action, lang), e.student_count,
                    e.student_ids, e.detail, e.reason, e.entry_hash])
    return buf.getvalue()


__all__ = ["record", "verify", "purge_old", "purge_due", "entries", "export_csv", "keep_days", "ACTIONS", "action_label",
           "Verification", "MIN_KEEP_DAYS"]
