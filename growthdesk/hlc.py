"""The order of changes between databases: a hybrid logical clock and per-field versions.

Wall clocks are wrong on real school PCs (a dead CMOS battery says 2099 or 2009), so the order
of two versions of a record is never read from ``updated_at`` alone:

- **Clock.** Every change gets a *hybrid logical clock* value: an integer, microseconds since
  1970 UTC, strictly larger than every clock value this database has made or accepted
  (``max(wall now, last + 1)``, the ``clock`` setting). So a change made after another one seen
  here is always later, whatever the wall clock says. A database never accepts a value more
  than ``MAX_SKEW_US`` ahead of its own wall clock (the importer refuses the bundle and says
  so), so no PC with a clock in the future can pin a record; a database whose own clock stood
  in the future and was put right restamps those changes before it next exports
  (``export.repair_future_clocks``).
- **Per-field versions.** A record's ``versions`` JSON gives each field the version (clock,
  node) of its last change: ``"*"`` for the creation (every field not listed), a field name for
  a later edit, ``"~"`` (clock, node, 0|1) for the deleted flag. Merging two copies of a record
  takes, field by field, the value with the larger version key (clock, then node id, then the
  value's digest): edits of different fields both survive, a true conflict resolves the same
  way in every order on every database (the merge is commutative, associative, idempotent).
- **Deletions** win over every edit made before them (by version key), not over edits made
  after: a record is deleted when its ``"~"`` flag is 1 and its key is at least every field's.

Rows written before these columns existed (``clock`` 0, ``versions`` "") read as one version,
made at ``updated_at`` by node "": old bundles keep their last-writer-wins order.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta

MAX_SKEW_US = 5 * 60 * 1_000_000     # a clock this far ahead of ours is refused (Anki: 5 minutes)
CREATED, DELETED = "*", "~"
BOOKKEEPING = ("id", "school_code", "created_at", "updated_at", "updated_by", "clock", "versions")
_EPOCH = datetime(1970, 1, 1)


def wall_us() -> int:
    return time.time_ns() // 1000


def to_us(dt: datetime) -> int:
    d = dt - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def tick(last: int, now: int | None = None) -> int:
    """The clock of a new local change after ``last`` (the largest clock made or accepted here).
    A ``last`` beyond our wall clock + skew means our clock stood in the future and was put
    right: it is not followed (or every later change would still be stamped in the future)."""
    now = wall_us() if now is None else now
    if last > now + MAX_SKEW_US:
        last = 0
    return max(now, last + 1)


def dumps(versions: dict) -> str:
    return json.dumps(versions, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class VersionError(ValueError):
    pass


def parse(text: str, clock: int, updated_at_us: int) -> dict:
    """``versions`` as a dict with a creation entry; legacy rows read as one version."""
    if not text:
        return {CREATED: [clock or updated_at_us, ""]}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        raise VersionError("versions is not JSON") from None
    if not isinstance(doc, dict) or CREATED not in doc:
        raise VersionError("versions lacks its creation entry")
    for key, v in doc.items():
        if not (isinstance(v, list) and len(v) in (2, 3) and isinstance(v[0], int) and not isinstance(v[0], bool)
                and v[0] >= 0 and isinstance(v[1], str) and len(v[1]) <= 64):
            raise VersionError(f"bad version entry for {key[:40]!r}")
        if (key == DELETED) != (len(v) == 3) or (len(v) == 3 and v[2] not in (0, 1)):
            raise VersionError(f"bad version entry for {key[:40]!r}")
    return doc


def max_clock(versions: dict) -> int:
    return max(v[0] for v in versions.values())


def latest_key(versions: dict) -> tuple[int, str]:
    return max((v[0], v[1]) for v in versions.values())


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _key(versions: dict, name: str, value: str) -> tuple:
    v = versions.get(name) or versions[CREATED]
    return (v[0], v[1], _digest(value))


def deleted_of(versions: dict, fields) -> bool:
    d = versions.get(DELETED)
    if not d or not d[2]:
        return False
    latest = max((tuple(versions.get(f) or versions[CREATED])[:2] for f in fields), default=(0, ""))
    return (d[0], d[1]) >= max(latest, tuple(versions[CREATED][:2]))


def merge(fields: list[str], a: dict, av: dict, b: dict, bv: dict) -> tuple[dict, dict, list[tuple]]:
    """Merge two copies of a record (cells by field name and their parsed versions).

    Returns the merged cells (bookkeeping cells from the copy whose latest change is later),
    the merged versions, and the conflicts: ``(field, losing value, winning value)`` for each
    field where the two copies hold different values (the caller records the loser)."""
    cells, vers, lost = {}, {}, []
    created = max(av[CREATED], bv[CREATED])
    vers[CREATED] = created
    for f in fields:
        ka, kb = _key(av, f, a[f]), _key(bv, f, b[f])
        win, wv, lose = (a, av, b) if ka >= kb else (b, bv, a)
        cells[f] = win[f]
        v = wv.get(f) or wv[CREATED]
        if v != created:
            vers[f] = v
        if a[f] != b[f]:
            lost.append((f, lose[f], win[f]))
    da, db_ = av.get(DELETED), bv.get(DELETED)
    if da or db_:
        vers[DELETED] = max(d for d in (da, db_) if d)
    ra = (latest_key(av), a["updated_at"], a["updated_by"])
    rb = (latest_key(bv), b["updated_at"], b["updated_by"])
    latest = a if ra >= rb else b
    for f in ("updated_at", "updated_by"):
        cells[f] = latest[f]
    cells["created_at"] = min(a["created_at"], b["created_at"])
    cells["id"], cells["school_code"] = a["id"], a["school_code"]
    return cells, vers, lost
