"""The audit chain: every case event, ledger transaction and buyer-mark event (云标签, see
services.abuse), hash-chained as it is written.

Each link stores the SHA-256 of a canonical record of its source row and the hash of the link
before it. `verify` recomputes both from the live tables, so an edited event, an edited or
deleted ledger entry, a deleted link or a row written around the chain all break it — and the
first broken link is named.

Links are written at the very end of the writing transaction (a `before_commit` hook), from the
rows as they are about to be committed, under a transaction-scoped lock on PostgreSQL (SQLite
serialises writers already): the chain never forks, the lock is held only for the commit, and
work undone by a rolled-back savepoint never gets a link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from peifu.adapters.db import bulk
from peifu.adapters.db.models import AbuseMarkEvent, AuditEntry, CaseEvent, LedgerTransaction

GENESIS = "0" * 64
LOCK_KEY = 0x7065_6966_75  # "peifu": the advisory lock that serialises appends on PostgreSQL


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record).encode()).hexdigest()


def link_hash(prev_hash: str, kind: str, ref: str, record_digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{kind}|{ref}|{record_digest}".encode()).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


CASE_EVENT_FIELDS = ("case_id", "seq", "at", "actor_role", "actor_id", "action", "from_state", "to_state", "data")
LEDGER_FIELDS = ("id", "kind", "memo", "case_id", "order_id", "shop_id", "buyer_id", "policy_version", "created_at")


def case_event_record(event: CaseEvent) -> dict[str, Any]:
    return case_event_record_of({name: getattr(event, name) for name in CASE_EVENT_FIELDS})


def case_event_record_of(row: dict[str, Any]) -> dict[str, Any]:
    """The canonical record of a case event given as a row (the batch path writes rows, not objects)."""
    return {name: _iso(row[name]) if name == "at" else row[name] for name in CASE_EVENT_FIELDS}


def ledger_record(txn: LedgerTransaction) -> dict[str, Any]:
    entries = [(e.account, e.amount_fen) for e in sorted(txn.entries, key=lambda e: e.id)]
    return ledger_record_of({name: getattr(txn, name) for name in LEDGER_FIELDS}, entries)


def ledger_record_of(row: dict[str, Any], entries: list[tuple[str, int]]) -> dict[str, Any]:
    """The canonical record of a sealed transaction given as a row and its entries in id order."""
    record = {name: _iso(row[name]) if name == "created_at" else row[name] for name in LEDGER_FIELDS}
    record["entries"] = [[account, amount] for account, amount in entries]
    return record


def abuse_mark_record(event: AbuseMarkEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "mark_id": event.mark_id,
        "buyer_id": event.buyer_id,
        "action": event.action,
        "actor_role": event.actor_role,
        "actor_id": event.actor_id,
        "at": _iso(event.at),
        "reason": event.reason,
        "case_ids": event.case_ids,
    }


def append(session: Session, kind: str, ref: str, record: dict[str, Any], now: datetime) -> AuditEntry:
    last_seq, prev = _lock_chain_end(session)
    record_digest = digest(record)
    entry = AuditEntry(
        seq=last_seq + 1,
        kind=kind,
        ref=ref,
        digest=record_digest,
        prev_hash=prev,
        hash=link_hash(prev, kind, ref, record_digest),
        created_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


PENDING = "peifu_audit_pending"
PREPARED = "peifu_audit_prepared"


def append_case_event(session: Session, event: CaseEvent, now: datetime) -> None:
    session.info.setdefault(PENDING, []).append(("case_event", event, now))


def append_ledger(session: Session, txn: LedgerTransaction, now: datetime) -> None:
    session.info.setdefault(PENDING, []).append(("ledger", txn, now))


def append_abuse_mark_event(session: Session, event: AbuseMarkEvent, now: datetime) -> None:
    session.info.setdefault(PENDING, []).append(("abuse_mark", event.id, now))


def append_prepared(session: Session, kind: str, ref: str, record: dict[str, Any], now: datetime) -> None:
    """A link for a row written with Core (services.batch_refunds), its record already built: it
    joins this commit's links like the session's own objects. A caller that rolls back a savepoint
    around such rows takes their records back with `prepared_mark` / `forget_prepared_since`."""
    session.info.setdefault(PREPARED, []).append((kind, ref, record, now))


def prepared_mark(session: Session) -> int:
    return len(session.info.get(PREPARED, []))


def forget_prepared_since(session: Session, mark: int) -> None:
    del session.info.get(PREPARED, [])[mark:]


def _record_now(session: Session, kind: str, key: Any) -> tuple[str, dict[str, Any]] | None:
    """The committed-to-be record behind a pending link, or None if a savepoint undid it."""
    if kind == "abuse_mark":
        mark_event = session.scalars(select(AbuseMarkEvent).where(AbuseMarkEvent.id == key)).first()
        return (str(key), abuse_mark_record(mark_event)) if mark_event is not None else None
    # Case events and ledger transactions are the session's own objects (flushed just before), read
    # as they are. One no longer persistent in the session was either taken away by a rolled-back
    # savepoint or merely expunged (e.g. to keep a long unit of work small): the database decides.
    state = inspect(key)
    if not state.persistent:
        if state.identity is None:
            return None
        key = session.get(type(key), state.identity)
        if key is None:  # its INSERT was rolled back
            return None
    if kind == "case_event":
        return f"{key.case_id}:{key.seq}", case_event_record(key)
    txn = key
    if not txn.sealed:
        return None
    session.refresh(txn, ["entries"])
    return str(txn.id), ledger_record(txn)


@event.listens_for(Session, "before_commit")
def _write_links(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    prepared = session.info.pop(PREPARED, None)
    if not pending and not prepared:
        return
    session.flush()
    links = list(prepared or [])
    for kind, key, now in pending or []:
        found = _record_now(session, kind, key)
        if found is not None:
            links.append((kind, found[0], found[1], now))
    if not links:
        return
    # One lock, one read of the chain's end and one insert for all of this commit's links: the
    # lock is taken as late as possible and held only until the commit (it is transaction-scoped).
    last_seq, prev = _lock_chain_end(session)
    rows = []
    for seq, (kind, ref, record, now) in enumerate(links, start=last_seq + 1):
        record_digest = digest(record)
        link = link_hash(prev, kind, ref, record_digest)
        rows.append(
            {
                "seq": seq,
                "kind": kind,
                "ref": ref,
                "digest": record_digest,
                "prev_hash": prev,
                "hash": link,
                "created_at": now,
            }
        )
        prev = link
    bulk.insert_rows(session, bulk.table_of(AuditEntry), rows)


def _lock_chain_end(session: Session) -> tuple[int, str]:
    """Take the chain's lock (PostgreSQL; SQLite serialises writers already) until the commit, then
    read the last link's number and hash (0 and GENESIS for an empty chain).

    Why links are numbered here and not by the column's sequence: a sequence hands out numbers
    outside the transaction, so a writer that dies between inserting its links and committing
    would leave a hole, and `verify` reads a hole as deleted links. Numbered from the chain's end
    under the lock, the next writer simply takes the same numbers again."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (last.seq, last.hash) if last is not None else (0, GENESIS)


@event.listens_for(Session, "after_rollback")
def _forget_links(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING, None)
        session.info.pop(PREPARED, None)


@dataclass(frozen=True)
class Break:
    seq: int | None
    kind: str
    ref: str
    problem: str

    def __str__(self) -> str:
        where = f"link {self.seq}" if self.seq is not None else "unlinked record"
        return f"{where} ({self.kind} {self.ref}): {self.problem}"


def _sources(session: Session) -> dict[str, dict[str, dict[str, Any]]]:
    events = {f"{e.case_id}:{e.seq}": case_event_record(e) for e in session.scalars(select(CaseEvent))}
    ledger = {
        str(t.id): ledger_record(t)
        for t in session.scalars(select(LedgerTransaction).where(LedgerTransaction.sealed.is_(True)))
    }
    marks = {str(e.id): abuse_mark_record(e) for e in session.scalars(select(AbuseMarkEvent))}
    return {"case_event": events, "ledger": ledger, "abuse_mark": marks}


def verify(session: Session, progress: Callable[[int], None] | None = None) -> Break | None:
    """None when the chain is whole; otherwise its first broken link."""
    sources = _sources(session)
    seen: dict[str, set[str]] = {kind: set() for kind in sources}
    prev, expected_seq = GENESIS, None
    for entry in _entries(session):
        if progress:
            progress(1)
        if expected_seq is not None and entry.seq != expected_seq:
            return Break(expected_seq, "link", str(expected_seq), f"links {expected_seq}–{entry.seq - 1} were deleted")
        expected_seq = entry.seq + 1
        if entry.prev_hash != prev or entry.hash != link_hash(entry.prev_hash, entry.kind, entry.ref, entry.digest):
            return Break(
                entry.seq, entry.kind, entry.ref, "the link does not follow from the one before (edited or reordered)"
            )
        source = sources.get(entry.kind, {}).get(entry.ref)
        if source is None:
            return Break(entry.seq, entry.kind, entry.ref, "the record it covers was deleted")
        if digest(source) != entry.digest:
            return Break(entry.seq, entry.kind, entry.ref, "the record it covers was edited")
        seen[entry.kind].add(entry.ref)
        prev = entry.hash
    for kind, rows in sources.items():
        missing = sorted(set(rows) - seen[kind])
        if missing:
            return Break(None, kind, missing[0], "written without an audit link")
    return None


def _entries(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(AuditEntry.seq))) or 0)
