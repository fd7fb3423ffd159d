"""The audit chains: every row that decides money or liability, HMAC-chained as it is written.

Design (docs/audit.md says why):

* **Many independent chains, no global lock.** A link goes to chain `chain_of(aggregate)`, a hash
  of the row's aggregate (its case, dispute, shop, buyer) into `CHAINS` chains. A commit locks only
  the chains its links go to (a transaction-scoped PostgreSQL advisory lock per chain, taken in
  chain order so two writers never deadlock; SQLite serialises writers already), so writers on
  different cases commit side by side.
* **Keyed links.** Each link is HMAC-SHA256(key, chain|seq|prev|kind|ref|digest|key id) under a key
  kept outside the database (`PEIFU_AUDIT_KEY_FILE` / `PEIFU_AUDIT_KEYS`, see `Keyring`): someone
  with only database access who edits a row cannot recompute the links after it. Keys rotate: the
  first key signs, the others still verify the links they signed (each link names its key).
* **Versions of mutable rows.** Case events, ledger transactions and buyer-mark events are written
  once; cases, case lines, disputes, rulings, appeals, compensations, outbox payouts, complaints,
  penalties, sanctions and policy versions change, and every committed change of a field that
  decides money or liability (`ROW_KINDS`) gets a new link with the row as committed. `verify`
  checks each live row against its newest link.
* **Checkpoints.** `checkpoint` signs a Merkle root over every chain's head and stores it; exported
  (stdout / a file) and kept outside the database, it lets `verify` notice links removed from the
  end of a chain — which no chain can notice by itself.

Links are written at the very end of the writing transaction (a `before_commit` hook), from the
rows as they are about to be committed: work undone by a rolled-back savepoint never gets a link.
Changes made through the session's objects are noticed by themselves (an `after_flush` hook); code
that writes a covered table with Core (`update(...)`, `bulk.insert_rows`) must call `touch` with the
keys it wrote (services.batch_refunds does), or `verify` will rightly call those rows edited.
Links are numbered from their chain's end under the chain's lock, never by a sequence: a writer
that dies between inserting its links and committing leaves no hole that would read as deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, event, func, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from peifu.db import bulk
from peifu.db.engine import make_engine
from peifu.db.models import (
    AbuseMarkEvent,
    Appeal,
    AuditCheckpoint,
    AuditEntry,
    AuditLink,
    Base,
    Case,
    CaseEvent,
    CaseLine,
    Compensation,
    Complaint,
    Dispute,
    LedgerEntry,
    LedgerTransaction,
    OutboxMessage,
    Penalty,
    PolicyVersionRow,
    Ruling,
    SanctionRow,
    ServiceComplaintMiss,
)

GENESIS = "0" * 64
CHAINS = 256  # fixed for the life of a database: a row's versions must stay in one chain
LOCK_CLASS = 0x7065_6966  # "peif": the first key of the two-key advisory lock; the chain is the second
LOCK_KEY = 0x7065_6966_75  # the old global chain's one lock: no longer taken (benchmarks/floor.py models it)
DEV_KEY_ID = "dev"
DEV_SECRET = b"peifu development audit key - not secret, configure PEIFU_AUDIT_KEY_FILE"
KEYRING = "peifu_audit_keyring"  # a session's (or its factory's) info key for the Keyring to use
CLOCK = "peifu_audit_clock"  # ... and for the Clock that dates links


# --- keys ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyring:
    """The HMAC keys: `active` signs new links and checkpoints, every key verifies what it signed.

    Text form (a key file, or `PEIFU_AUDIT_KEYS` with commas for newlines): one `<key id> <secret>`
    per line, the active key first; `#` starts a comment. Rotate by putting a new key first and
    keeping the old ones below it for as long as their links exist (that is: forever)."""

    keys: dict[str, bytes]
    active: str
    development: bool = False

    @classmethod
    def parse(cls, source: str) -> Keyring:
        keys: dict[str, bytes] = {}
        for raw in source.replace(",", "\n").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) == 1:  # the "<key id>:<secret>" form
                parts = line.split(":", 1)
            key_id, secret = parts[0], parts[1].strip() if len(parts) == 2 else ""
            if not key_id or len(key_id) > 32 or len(secret) < 16:
                raise ValueError("an audit key line is '<key id> <secret of 16 characters or more>'")
            if key_id in keys:
                raise ValueError(f"audit key id {key_id!r} is given twice")
            keys[key_id] = secret.encode()
        if not keys:
            raise ValueError("no audit key given")
        return cls(keys=keys, active=next(iter(keys)))

    @classmethod
    def development_only(cls) -> Keyring:
        return cls(keys={DEV_KEY_ID: DEV_SECRET}, active=DEV_KEY_ID, development=True)

    @classmethod
    def configured(cls, key_file: str | None, keys: str | None) -> Keyring:
        if key_file:
            return cls.parse(Path(key_file).read_text(encoding="utf-8"))
        if keys:
            return cls.parse(keys)
        return cls.development_only()

    @classmethod
    def from_env(cls) -> Keyring:
        return cls.configured(os.environ.get("PEIFU_AUDIT_KEY_FILE"), os.environ.get("PEIFU_AUDIT_KEYS"))

    def mac(self, key_id: str, message: str) -> str | None:
        key = self.keys.get(key_id)
        return None if key is None else hmac.digest(key, message.encode(), "sha256").hex()


def new_key_line(key_id: str) -> str:
    return f"{key_id} {secrets.token_hex(32)}"


_env_keyring: Keyring | None = None


def keyring_of(session: Session) -> Keyring:
    found = session.info.get(KEYRING)
    if isinstance(found, Keyring):
        return found
    global _env_keyring
    if _env_keyring is None:
        _env_keyring = Keyring.from_env()
    return _env_keyring


# --- records ---------------------------------------------------------------------------------------


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record).encode()).hexdigest()


def link_message(chain: int, seq: int, prev_hash: str, kind: str, ref: str, record_digest: str, key_id: str) -> str:
    return f"{chain}|{seq}|{prev_hash}|{kind}|{ref}|{record_digest}|{key_id}"


def link_hash(
    keyring: Keyring, key_id: str, chain: int, seq: int, prev_hash: str, kind: str, ref: str, record_digest: str
) -> str | None:
    """The link's HMAC under key `key_id`, or None if the keyring does not hold that key."""
    return keyring.mac(key_id, link_message(chain, seq, prev_hash, kind, ref, record_digest, key_id))


def chain_of(aggregate: str) -> int:
    return int.from_bytes(hashlib.sha256(aggregate.encode()).digest()[:4], "big") % CHAINS


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


CASE_EVENT_FIELDS = ("case_id", "seq", "at", "actor_role", "actor_id", "action", "from_state", "to_state", "data")
LEDGER_FIELDS = ("id", "kind", "memo", "case_id", "order_id", "shop_id", "buyer_id", "policy_version", "created_at")


def case_event_record(event: CaseEvent) -> dict[str, Any]:
    return case_event_record_of({name: getattr(event, name) for name in CASE_EVENT_FIELDS})


def case_event_record_of(row: Any) -> dict[str, Any]:
    """The canonical record of a case event given as a row (the batch path writes rows, not objects)."""
    return {name: _iso(row[name]) if name == "at" else row[name] for name in CASE_EVENT_FIELDS}


def ledger_record(txn: LedgerTransaction) -> dict[str, Any]:
    entries = [(e.account, e.amount_fen) for e in sorted(txn.entries, key=lambda e: e.id)]
    return ledger_record_of({name: getattr(txn, name) for name in LEDGER_FIELDS}, entries)


def ledger_record_of(row: Any, entries: list[tuple[str, int]]) -> dict[str, Any]:
    """The canonical record of a sealed transaction given as a row and its entries in id order."""
    record = {name: _iso(row[name]) if name == "created_at" else row[name] for name in LEDGER_FIELDS}
    record["entries"] = [[account, amount] for account, amount in entries]
    return record


ABUSE_MARK_FIELDS = ("id", "mark_id", "buyer_id", "action", "actor_role", "actor_id", "at", "reason", "case_ids")


def abuse_mark_record(event: AbuseMarkEvent) -> dict[str, Any]:
    return abuse_mark_record_of({name: getattr(event, name) for name in ABUSE_MARK_FIELDS})


def abuse_mark_record_of(row: Any) -> dict[str, Any]:
    return {name: _plain(row[name]) for name in ABUSE_MARK_FIELDS}


@dataclass(frozen=True)
class RowKind:
    """A table whose rows change and decide money or liability: the fields that do, and the
    aggregate whose chain their versions go to (never changes for a row)."""

    kind: str
    model: type[Base]
    fields: tuple[str, ...]
    aggregate: Callable[[dict[str, Any]], str]
    key: str = "id"

    @property
    def table(self) -> Table:
        return bulk.table_of(self.model)

    def record(self, row: Any) -> dict[str, Any]:
        return {name: _plain(row[name]) for name in (self.key, *self.fields)}

    def select(self) -> Any:
        return select(*(self.table.c[name] for name in (self.key, *self.fields)))


def _case(record: dict[str, Any]) -> str:
    return f"case:{record['case_id']}"


# Free text a privacy purge may blank (descriptions, refusal reasons) is deliberately left out.
ROW_KINDS: tuple[RowKind, ...] = (
    RowKind(
        "case",
        Case,
        (
            "order_id",
            "shop_id",
            "buyer_id",
            "case_type",
            "reason",
            "state",
            "phase",
            "policy_version",
            "opened_at",
            "resolved_at",
            "proposal",
            "return_shipping_fee_fen",
            "confirm_return_on_sign",
            "abusive",
            "abusive_mark_id",
        ),
        lambda r: f"case:{r['id']}",
    ),
    RowKind("case_line", CaseLine, ("case_id", "order_line_id", "amount_fen"), _case),
    RowKind(
        "compensation",
        Compensation,
        ("case_id", "rule", "amount_fen", "payout_method", "payer", "policy_version", "txn_id", "recovery_txn_id"),
        _case,
    ),
    RowKind(
        "outbox",
        OutboxMessage,
        (
            "kind",
            "idempotency_key",
            "txn_id",
            "case_id",
            "buyer_id",
            "amount_fen",
            "method",
            "status",
            "gateway_ref",
            "sent_at",
            "settlement_txn_id",
        ),
        lambda r: f"case:{r['case_id']}" if r["case_id"] is not None else f"buyer:{r['buyer_id']}",
    ),
    RowKind(
        "dispute",
        Dispute,
        ("case_id", "shop_id", "buyer_id", "opened_by", "status", "amount_fen", "duties", "liable_party", "closed_at"),
        _case,
    ),
    RowKind(
        "ruling",
        Ruling,
        (
            "dispute_id",
            "agent_id",
            "outcome",
            "case_type",
            "refund_amount_fen",
            "liable_party",
            "compensations",
            "reasoning",
            "automatic",
            "on_appeal",
            "supersedes",
            "created_at",
        ),
        lambda r: f"dispute:{r['dispute_id']}",
    ),
    RowKind(
        "appeal",
        Appeal,
        ("dispute_id", "ruling_id", "party", "party_id", "reviewer", "decision", "decided_at"),
        lambda r: f"dispute:{r['dispute_id']}",
    ),
    RowKind(
        "complaint",
        Complaint,
        (
            "order_id",
            "case_id",
            "shop_id",
            "buyer_id",
            "complaint_type",
            "violation",
            "policy_version",
            "status",
            "decided_by",
            "decided_at",
            "appeal_decided_by",
            "appeal_decision",
        ),
        lambda r: f"shop:{r['shop_id']}",
    ),
    RowKind(
        "penalty",
        Penalty,
        ("shop_id", "complaint_id", "violation", "points", "policy_version", "created_at", "revoked_at"),
        lambda r: f"shop:{r['shop_id']}",
    ),
    RowKind(
        "sanction",
        SanctionRow,
        (
            "shop_id",
            "sanction",
            "basis",
            "threshold",
            "points_at_trigger",
            "complaint_ids",
            "policy_version",
            "revoked_at",
        ),
        lambda r: f"shop:{r['shop_id']}",
    ),
    RowKind(
        "service_miss",  # the link's kind is at most 16 characters (audit_links.kind)
        ServiceComplaintMiss,
        ("complaint_id", "shop_id", "step", "party", "due_at", "missed_at"),
        lambda r: f"shop:{r['shop_id']}",
    ),
    RowKind(
        "policy",
        PolicyVersionRow,
        ("content_hash", "text", "activated_at"),
        lambda r: "policy",
        key="version",
    ),
)
BY_KIND = {rk.kind: rk for rk in ROW_KINDS}
BY_MODEL: dict[type[Any], RowKind] = {rk.model: rk for rk in ROW_KINDS}


def aggregate_of(kind: str, record: dict[str, Any]) -> str:
    if kind == "case_event":
        return f"case:{record['case_id']}"
    if kind == "ledger":
        if record["case_id"] is not None:
            return f"case:{record['case_id']}"
        return f"order:{record['order_id']}" if record["order_id"] is not None else f"ledger:{record['id']}"
    if kind == "abuse_mark":
        return f"buyer:{record['buyer_id']}"
    return BY_KIND[kind].aggregate(record)


# --- writing ---------------------------------------------------------------------------------------

PENDING = "peifu_audit_pending"
PREPARED = "peifu_audit_prepared"
ROWS = "peifu_audit_rows"
CORE_ROWS = "peifu_audit_core_rows"  # the part of ROWS written with Core (`touch`)
HELD = "peifu_audit_held"  # (kind, key) → the session's object for a row of ROWS it flushed


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


def touch(session: Session, model: type[Base], keys: Iterable[Any]) -> None:
    """Rows of a covered table changed with Core (not through the session's objects): each gets a
    link with the row as it is at the commit. Rows a rolled-back savepoint took away get none."""
    rows: dict[str, set[Any]] = session.info.setdefault(ROWS, {})
    kind = BY_MODEL[model].kind
    keys = set(keys)
    rows.setdefault(kind, set()).update(keys)
    # written behind the session's back: an object it holds for these rows may be stale, so
    # their records are read from the database, never from the session (see _row_records)
    session.info.setdefault(CORE_ROWS, {}).setdefault(kind, set()).update(keys)


def note_written(session: Session, obj: Base) -> None:
    """A covered row written with bare driver calls (services.raw_cases), whose object the session
    now holds persistent with the row's columns as written: linked at the commit as if the session
    had flushed it (`_note_changed_rows`), its record taken from the object unless it changes since."""
    row_kind = BY_MODEL[type(obj)]
    key = getattr(obj, row_kind.key)
    session.info.setdefault(ROWS, {}).setdefault(row_kind.kind, set()).add(key)
    session.info.setdefault(HELD, {})[(row_kind.kind, key)] = obj


@event.listens_for(Session, "after_flush")
def _note_changed_rows(session: Session, _context: Any) -> None:
    """Covered rows the flush inserted, or whose deciding fields it changed, get a link at commit."""
    rows: dict[str, set[Any]] | None = None
    new = session.new
    for obj in (*new, *session.dirty):
        row_kind = BY_MODEL.get(type(obj))
        if row_kind is None:
            continue
        if obj not in new:
            # only a field the flush wrote has a history (its old value in committed_state)
            state = inspect(obj)
            written = state.committed_state
            if not any(name in written and state.attrs[name].history.has_changes() for name in row_kind.fields):
                continue
        if rows is None:
            rows = session.info.setdefault(ROWS, {})
        key = getattr(obj, row_kind.key)
        rows.setdefault(row_kind.kind, set()).add(key)
        # kept (the session holds its clean objects only weakly) so that its record at the commit
        # can be taken from the object as flushed instead of read back (see _row_records)
        session.info.setdefault(HELD, {})[(row_kind.kind, key)] = obj


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
    state = inspect(txn)
    if "entries" not in state.dict and "entries" not in state.committed_state:  # not loaded
        session.refresh(txn, ["entries"])  # (ledger.post leaves them loaded as written)
    return str(txn.id), ledger_record(txn)


def _held(session: Session, row_kind: RowKind, key: Any) -> dict[str, Any] | None:
    """The record of a row the session holds as it was just flushed — persistent, unchanged since,
    every field it needs loaded — so that it need not be read back; else None (it is read)."""
    obj = session.info.get(HELD, {}).get((row_kind.kind, key))
    if obj is None or session.identity_map.get(identity_key(row_kind.model, key)) is not obj:
        return None
    state = inspect(obj)
    if not state.persistent or state.modified:
        return None
    loaded, changed = state.dict, state.committed_state  # a field in neither is unloaded
    if any(name not in loaded and name not in changed for name in (row_kind.key, *row_kind.fields)):
        return None
    return row_kind.record({name: getattr(obj, name) for name in (row_kind.key, *row_kind.fields)})


def _row_records(
    session: Session, kind: str, keys: set[Any], core: set[Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The records of these rows as about to be committed, in key order: from the session's own
    objects where it holds them as flushed, read from the database otherwise (and always for the
    rows in `core`, written with Core)."""
    row_kind = BY_KIND[kind]
    ordered = sorted(keys, key=str)
    core = core or set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        records = {
            str(key): found for key in chunk if key not in core and (found := _held(session, row_kind, key)) is not None
        }
        wanted = [key for key in chunk if str(key) not in records]
        if wanted:
            stmt = row_kind.select().where(row_kind.table.c[row_kind.key].in_(wanted))
            records.update((str(row[row_kind.key]), row_kind.record(row)) for row in session.execute(stmt).mappings())
        for key in chunk:  # in key order (a row a savepoint took away has none)
            if str(key) in records:
                yield str(key), records[str(key)]


ORDER_IN_COMMIT = {"abuse_mark": 0, "ledger": 1, "case_event": 2}


@event.listens_for(Session, "before_commit")
def _write_links(session: Session) -> None:
    session.flush()  # what the commit would flush next: its changed rows are noted (after_flush)
    if not (session.info.get(PENDING) or session.info.get(PREPARED) or session.info.get(ROWS)):
        return
    pending = session.info.pop(PENDING, None)
    prepared = session.info.pop(PREPARED, None)
    rows = session.info.pop(ROWS, None)
    core_rows = session.info.pop(CORE_ROWS, None) or {}
    written = list(prepared or [])
    for kind, key, when in pending or []:
        found = _record_now(session, kind, key)
        if found is not None:
            written.append((kind, found[0], found[1], when))
    # new versions of changed rows first, then what was written once (money, then the timeline)
    links: list[tuple[str, str, dict[str, Any], datetime]] = []
    if rows:
        when = written[0][3] if written else _now(session)
        for kind in sorted(rows):
            links.extend(
                (kind, ref, record, when)
                for ref, record in _row_records(session, kind, rows[kind], core_rows.get(kind))
            )
    session.info.pop(HELD, None)
    links.extend(sorted(written, key=lambda link: ORDER_IN_COMMIT.get(link[0], 0)))
    if links:
        write_links(session, links)


def _now(session: Session) -> datetime:
    """The time for links of a commit that wrote only row changes: the runtime's clock, which the
    session factory carries (adapters.runtime); the system clock for a bare session."""
    clock = session.info.get(CLOCK)
    return clock.now() if clock is not None else datetime.now(UTC)


def write_links(session: Session, links: Sequence[tuple[str, str, dict[str, Any], datetime]]) -> None:
    """Append links (kind, ref, record, time) to their chains: lock the chains they go to (in chain
    order), read those chains' ends, insert. The locks are held only until the commit."""
    keyring = keyring_of(session)
    by_chain: dict[int, list[tuple[str, str, dict[str, Any], datetime]]] = {}
    for link in links:
        by_chain.setdefault(chain_of(aggregate_of(link[0], link[2])), []).append(link)
    chains = sorted(by_chain)
    conn = session.connection()  # the caller has flushed
    driver = conn.connection.driver_connection if conn.dialect.name == "postgresql" else None
    ends = _lock_chain_ends(driver, chains) if driver is not None else _chain_ends(session, chains)
    out = []
    for chain in chains:
        seq, prev = ends.get(chain, (0, GENESIS))
        for kind, ref, record, now in by_chain[chain]:
            seq += 1
            row = _link_row(keyring, chain, seq, prev, kind, ref, record, now)
            out.append(row)
            prev = row["hash"]
    if driver is not None and len(out) <= VALUES_LINKS:
        _insert_links_pg(driver, out)
    else:
        bulk.insert_rows(session, bulk.table_of(AuditLink), out)


LINK_COLUMNS = ("chain", "seq", "kind", "ref", "digest", "prev_hash", "hash", "key_id", "created_at")


def _link_row(
    keyring: Keyring, chain: int, seq: int, prev: str, kind: str, ref: str, record: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """The audit_links row of link `seq` of `chain`, after the link whose hash is `prev`: the one
    place a link is made, for a commit's links (`write_links`) and for `adopt`'s (`ChainWriter`)."""
    record_digest = digest(record)
    mac = link_hash(keyring, keyring.active, chain, seq, prev, kind, ref, record_digest)
    assert mac is not None
    return {
        "chain": chain,
        "seq": seq,
        "kind": kind,
        "ref": ref,
        "digest": record_digest,
        "prev_hash": prev,
        "hash": mac,
        "key_id": keyring.active,
        "created_at": now,
    }


class ChainWriter:
    """Appends many links to the chains in one transaction, streaming (for `adopt`): every chain
    is locked once and its end read once (the commit's own `write_links` locks only the chains it
    touches), each link made by `_link_row` as a commit's would be, and written in batches — by
    COPY on PostgreSQL, a multi-row INSERT elsewhere. Memory: one batch and the 256 chains' ends."""

    def __init__(self, session: Session, batch: int = 20_000) -> None:
        self.session = session
        self.keyring = keyring_of(session)
        self.batch = batch
        if session.get_bind().dialect.name == "postgresql":  # all of them, in ascending order, in one round trip
            session.execute(
                text("SELECT pg_advisory_xact_lock(:cls, c) FROM generate_series(0, :last) AS c"),
                {"cls": LOCK_CLASS, "last": CHAINS - 1},
            )
        self.ends = _chain_ends(session, list(range(CHAINS)))
        self.pending: list[dict[str, Any]] = []
        self.written = 0

    def add(self, kind: str, ref: str, record: dict[str, Any], now: datetime) -> None:
        chain = chain_of(aggregate_of(kind, record))
        seq, prev = self.ends.get(chain, (0, GENESIS))
        row = _link_row(self.keyring, chain, seq + 1, prev, kind, ref, record, now)
        self.ends[chain] = (seq + 1, row["hash"])
        self.pending.append(row)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.written += len(rows)
        if self.session.get_bind().dialect.name != "postgresql":
            bulk.insert_rows(self.session, bulk.table_of(AuditLink), rows)
            return
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        with driver.cursor() as cur, cur.copy(f"COPY audit_links ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[name] for name in LINK_COLUMNS))


# The commit's own statements on PostgreSQL go to the driver's connection (the session's, inside
# its transaction) as fixed SQL strings: a handful of links per commit, where building, compiling
# and adapting SQLAlchemy statements (and dumping one text array per column for `unnest`) cost
# several times the statements themselves.
_PG_LOCK = "SELECT pg_advisory_xact_lock(%s, %s)"
# several chains in one statement: the function runs once per array element, in the array's order
_PG_LOCKS = "SELECT pg_advisory_xact_lock(%s, c) FROM unnest(CAST(%s AS integer[])) AS c"
_PG_END = "SELECT seq, hash FROM audit_links WHERE chain = %s ORDER BY seq DESC LIMIT 1"
_PG_ENDS = (
    "SELECT l.chain, l.seq, l.hash FROM audit_links l JOIN (SELECT chain, max(seq) AS seq FROM audit_links"
    " WHERE chain = ANY(%s) GROUP BY chain) m ON l.chain = m.chain AND l.seq = m.seq"
)
VALUES_LINKS = 64  # up to this many links are one multi-row VALUES insert; more go as arrays (bulk)
_PG_INSERTS: dict[int, str] = {}  # links in the insert → its SQL


def _lock_chain_ends(driver: Any, chains: list[int]) -> dict[int, tuple[int, str]]:
    """Lock these chains until the commit (PostgreSQL, on the session's driver connection; SQLite
    serialises writers already), in ascending order so that two writers never wait for each other
    in a circle, then read each one's last link: chain → (seq, hash); an empty chain is absent.
    The read is a statement of its own, after the locks: under READ COMMITTED it then sees the
    last link any earlier holder of these chains committed. (Pipelining the read behind the locks
    would keep that, but psycopg's pipeline costs more CPU and time than the round trip it saves
    on a local server: measured, benchmarks/README.md.)"""
    with driver.cursor() as cur:
        if len(chains) == 1:  # the usual commit: one aggregate, one chain
            cur.execute(_PG_LOCK, (LOCK_CLASS, chains[0]))
            row = cur.execute(_PG_END, (chains[0],)).fetchone()
            return {} if row is None else {chains[0]: (row[0], row[1])}
        cur.execute(_PG_LOCKS, (LOCK_CLASS, chains))
        return {chain: (seq, found) for chain, seq, found in cur.execute(_PG_ENDS, (chains,))}


def _insert_links_pg(driver: Any, rows: list[dict[str, Any]]) -> None:
    """Insert a commit's few links as one multi-row VALUES statement (its SQL kept per row count)."""
    sql = _PG_INSERTS.get(len(rows))
    if sql is None:
        one = "(" + ", ".join(["%s"] * len(LINK_COLUMNS)) + ")"
        sql = f"INSERT INTO audit_links ({', '.join(LINK_COLUMNS)}) VALUES " + ", ".join([one] * len(rows))
        _PG_INSERTS[len(rows)] = sql
    params: list[Any] = []
    for row in rows:
        params.extend(row[name] for name in LINK_COLUMNS[:-1])
        params.append(row["created_at"].astimezone(UTC))  # as `bulk.insert_rows` sends it
    with driver.cursor() as cur:
        cur.execute(sql, params)


def _chain_ends(session: Session, chains: list[int]) -> dict[int, tuple[int, str]]:
    """Each of these chains' last link: chain → (seq, hash); an empty chain is absent."""
    conn = session.connection()
    if len(chains) == 1:  # the usual commit: one aggregate, one chain
        row = conn.execute(_CHAIN_END, {"chain": chains[0]}).first()
        return {} if row is None else {chains[0]: (row.seq, row.hash)}
    links = bulk.table_of(AuditLink)
    last = (
        select(links.c.chain, func.max(links.c.seq).label("seq"))
        .where(links.c.chain.in_(chains))
        .group_by(links.c.chain)
        .subquery()
    )
    stmt = select(links.c.chain, links.c.seq, links.c.hash).join(
        last, (links.c.chain == last.c.chain) & (links.c.seq == last.c.seq)
    )
    return {row.chain: (row.seq, row.hash) for row in conn.execute(stmt)}


_CHAIN_END = (
    select(AuditLink.__table__.c.seq, AuditLink.__table__.c.hash)
    .where(AuditLink.__table__.c.chain == bindparam("chain"))
    .order_by(AuditLink.__table__.c.seq.desc())
    .limit(1)
)


@event.listens_for(Session, "after_rollback")
def _forget_links(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING, None)
        session.info.pop(PREPARED, None)
        session.info.pop(ROWS, None)
        session.info.pop(CORE_ROWS, None)
        session.info.pop(HELD, None)


# --- checkpoints -----------------------------------------------------------------------------------


def merkle_root(leaves: Sequence[bytes]) -> str:
    """RFC 6962 Merkle tree hash: leaves hashed with a 0x00 prefix, inner nodes with 0x01."""

    def tree(items: Sequence[bytes]) -> bytes:
        if not items:
            return hashlib.sha256(b"").digest()
        if len(items) == 1:
            return hashlib.sha256(b"\x00" + items[0]).digest()
        split = 1
        while split * 2 < len(items):
            split *= 2
        return hashlib.sha256(b"\x01" + tree(items[:split]) + tree(items[split:])).digest()

    return tree(leaves).hex()


def _head_leaf(chain: int, seq: int, head: str) -> bytes:
    return f"{chain}|{seq}|{head}".encode()


def _checkpoint_message(root: str, created_at: str, chains: int, key_id: str) -> str:
    return f"peifu-audit-checkpoint|{root}|{created_at}|{chains}|{key_id}"


def heads(session: Session) -> list[tuple[int, int, str]]:
    """Every non-empty chain's last link, by chain: one consistent read."""
    links = bulk.table_of(AuditLink)
    last = select(links.c.chain, func.max(links.c.seq).label("seq")).group_by(links.c.chain).subquery()
    stmt = (
        select(links.c.chain, links.c.seq, links.c.hash)
        .join(last, (links.c.chain == last.c.chain) & (links.c.seq == last.c.seq))
        .order_by(links.c.chain)
    )
    return [(row.chain, row.seq, row.hash) for row in session.execute(stmt)]


def checkpoint(session: Session, now: datetime) -> dict[str, Any]:
    """Sign a Merkle root over the chains' heads, store it, and return it as exportable JSON."""
    keyring = keyring_of(session)
    found = heads(session)
    root = merkle_root([_head_leaf(*head) for head in found])
    created = now.isoformat()
    signature = keyring.mac(keyring.active, _checkpoint_message(root, created, CHAINS, keyring.active))
    assert signature is not None
    row = AuditCheckpoint(
        created_at=now, root=root, heads=[list(h) for h in found], key_id=keyring.active, signature=signature
    )
    session.add(row)
    session.flush()
    return checkpoint_json(row)


def checkpoint_json(row: AuditCheckpoint) -> dict[str, Any]:
    return {
        "format": "peifu-audit-checkpoint/1",
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "chains": CHAINS,
        "heads": [list(h) for h in row.heads],
        "root": row.root,
        "key_id": row.key_id,
        "signature": row.signature,
    }


def latest_checkpoint(session: Session) -> dict[str, Any] | None:
    row = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    return checkpoint_json(row) if row is not None else None


def checkpoint_problem(keyring: Keyring, cp: dict[str, Any]) -> str | None:
    """Why a checkpoint cannot be trusted (bad signature, heads that do not give its root), or None."""
    try:
        found = [(int(c), int(s), str(h)) for c, s, h in cp["heads"]]
        root, created, key_id = str(cp["root"]), str(cp["created_at"]), str(cp["key_id"])
        chains = int(cp["chains"])
    except (KeyError, TypeError, ValueError):
        return "the checkpoint is not a peifu audit checkpoint"
    if chains != CHAINS:
        return f"the checkpoint is for {chains} chains, this database has {CHAINS}"
    expected = keyring.mac(key_id, _checkpoint_message(root, created, chains, key_id))
    if expected is None:
        return f"the checkpoint is signed with key {key_id!r}, which is not in the keyring"
    if not hmac.compare_digest(expected, str(cp.get("signature", ""))):
        return "the checkpoint's signature is wrong (forged or edited)"
    if merkle_root([_head_leaf(*head) for head in found]) != root:
        return "the checkpoint's heads do not give its Merkle root"
    return None


# --- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    chain: int | None
    seq: int | None
    kind: str
    ref: str
    problem: str

    def __str__(self) -> str:
        if self.chain is None:
            where = "unlinked record"
        elif self.seq is None:
            where = f"chain {self.chain}"
        else:
            where = f"chain {self.chain} link {self.seq}"
        return f"{where} ({self.kind} {self.ref}): {self.problem}"


@dataclass
class Report:
    links: int = 0
    chains: int = 0
    checkpoint_id: int | None = None
    warnings: list[str] = field(default_factory=list)


def _source_records(session: Session) -> Iterator[tuple[str, Iterator[tuple[str, dict[str, Any]]]]]:
    """Every covered row as it is now, kind by kind: (kind, iterator of (ref, record))."""

    def case_events() -> Iterator[tuple[str, dict[str, Any]]]:
        stmt = select(*(bulk.table_of(CaseEvent).c[name] for name in CASE_EVENT_FIELDS))
        for row in session.execute(stmt.execution_options(yield_per=5000)).mappings():
            yield f"{row['case_id']}:{row['seq']}", case_event_record_of(row)

    def ledger() -> Iterator[tuple[str, dict[str, Any]]]:
        # transactions and their entries both in transaction order, merged: nothing held in memory
        txns = bulk.table_of(LedgerTransaction)
        entries = bulk.table_of(LedgerEntry)
        sealed = select(txns.c.id).where(txns.c.sealed.is_(True))
        legs_stmt = (
            select(entries.c.txn_id, entries.c.account, entries.c.amount_fen)
            .where(entries.c.txn_id.in_(sealed))
            .order_by(entries.c.txn_id, entries.c.id)
            .execution_options(yield_per=5000)
        )
        legs = iter(session.execute(legs_stmt))
        leg = next(legs, None)
        stmt = select(*(txns.c[name] for name in LEDGER_FIELDS)).where(txns.c.sealed.is_(True)).order_by(txns.c.id)
        for row in session.execute(stmt.execution_options(yield_per=5000)).mappings():
            mine: list[tuple[str, int]] = []
            while leg is not None and leg[0] <= row["id"]:
                if leg[0] == row["id"]:
                    mine.append((leg[1], leg[2]))
                leg = next(legs, None)
            yield str(row["id"]), ledger_record_of(row, mine)

    def marks() -> Iterator[tuple[str, dict[str, Any]]]:
        stmt = select(*(bulk.table_of(AbuseMarkEvent).c[name] for name in ABUSE_MARK_FIELDS))
        for row in session.execute(stmt).mappings():
            yield str(row["id"]), abuse_mark_record_of(row)

    def rows(row_kind: RowKind) -> Iterator[tuple[str, dict[str, Any]]]:
        for row in session.execute(row_kind.select().execution_options(yield_per=5000)).mappings():
            yield str(row[row_kind.key]), row_kind.record(row)

    yield "case_event", case_events()
    yield "ledger", ledger()
    yield "abuse_mark", marks()
    for row_kind in ROW_KINDS:
        yield row_kind.kind, rows(row_kind)


KINDS = ("case_event", "ledger", "abuse_mark", *BY_KIND)


def _source_records_of(session: Session, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, records in _source_records(session):  # the generators run only when iterated
        if name == kind:
            return records
    raise ValueError(f"not an audited kind: {kind}")


def verify(
    session: Session,
    progress: Callable[[int], None] | None = None,
    *,
    expect: dict[str, Any] | None = None,
    keyring: Keyring | None = None,
    report: Report | None = None,
    jobs: int = 1,
) -> Break | None:
    """None when every chain is whole and every covered row matches its newest link; otherwise
    the first broken link (by chain, then link number), or the first row written around the chains.

    `expect` is a checkpoint (as exported); without one, the newest stored checkpoint is used.
    `jobs` > 1 (PostgreSQL): the chains and the tables are checked by that many processes, all
    reading the snapshot of `session`'s transaction, which must be REPEATABLE READ."""
    keyring = keyring or keyring_of(session)
    report = report if report is not None else Report()
    if keyring.development:
        report.warnings.append("links are keyed with the public development key: set PEIFU_AUDIT_KEY_FILE")
    if expect is None:
        expect = latest_checkpoint(session)
        if expect is None:
            report.warnings.append("no checkpoint: links removed from a chain's end cannot be noticed")
    elif (problem := checkpoint_problem(keyring, expect)) is not None:
        return Break(None, None, "checkpoint", str(expect.get("id")), problem)
    if expect is not None:
        report.checkpoint_id = expect.get("id")
    parallel = jobs > 1 and session.get_bind().dialect.name == "postgresql"
    # 1. every chain: numbered without holes, each link keyed and following from the one before
    if parallel:
        walked = _in_processes(session, [(_walk_task, (keyring, jobs, part)) for part in range(jobs)], jobs)
        found_breaks = [b for b, _, _ in walked if b is not None]
        if found_breaks:
            return min(found_breaks, key=lambda b: (b.chain or 0, b.seq or 0))
        ends: dict[int, tuple[int, str]] = {}
        for _, part_ends, counted in walked:
            ends.update(part_ends)
            report.links += counted
    else:
        broken, ends, report.links = walk_chains(session, keyring, progress=progress)
        if broken is not None:
            return broken
    report.chains = len(ends)
    # 2. nothing cut off the end of a chain since the checkpoint
    if expect is not None and (broken := _against_checkpoint(session, expect, ends)) is not None:
        return broken
    # 3. every covered row: its newest link is its current content; no row without a link
    passes = kind_passes(session)
    if parallel:
        found = [b for part in _in_processes(session, [(_rows_task, (kinds,)) for kinds in passes], jobs) for b in part]
    else:
        found = [b for kinds in passes for b in check_kinds(session, kinds)]
    edited = [b for b in found if b.chain is not None]
    if edited:
        return min(edited, key=lambda b: (b.chain or 0, b.seq or 0))
    return found[0] if found else None


def walk_chains(
    session: Session,
    keyring: Keyring,
    *,
    jobs: int = 1,
    part: int = 0,
    progress: Callable[[int], None] | None = None,
) -> tuple[Break | None, dict[int, tuple[int, str]], int]:
    """Walk the chains (the `part`-th of `jobs` contiguous ranges of them): the first broken
    link, each chain's end (seq, hash), and how many links were read."""
    ends: dict[int, tuple[int, str]] = {}
    chain, expected_seq, prev, counted = None, 1, GENESIS, 0
    links = bulk.table_of(AuditLink)
    columns = ("chain", "seq", "kind", "ref", "digest", "prev_hash", "hash", "key_id")  # not created_at
    stmt = (
        select(*(links.c[name] for name in columns))
        .order_by(links.c.chain, links.c.seq)
        .execution_options(yield_per=20000)
    )
    if jobs > 1:  # a contiguous range of chains: the primary key's index reads only this part's links
        stmt = stmt.where(links.c.chain >= CHAINS * part // jobs, links.c.chain < CHAINS * (part + 1) // jobs)
    for at_chain, seq, kind, ref, record_digest, prev_hash, found, key_id in session.execute(stmt):
        counted += 1
        if progress and counted % 10_000 == 0:
            progress(10_000)
        if at_chain != chain:
            if chain is not None:
                ends[chain] = (expected_seq - 1, prev)
            chain, expected_seq, prev = at_chain, 1, GENESIS
        if seq != expected_seq:
            gone = f"link {expected_seq} was" if seq == expected_seq + 1 else f"links {expected_seq}–{seq - 1} were"
            return Break(at_chain, expected_seq, "link", str(expected_seq), f"{gone} deleted"), ends, counted
        expected_seq += 1
        mac = link_hash(keyring, key_id, at_chain, seq, prev_hash, kind, ref, record_digest)
        if mac is None:
            problem = f"keyed with unknown key {key_id!r}"
            return Break(at_chain, seq, kind, ref, problem), ends, counted
        if prev_hash != prev or not hmac.compare_digest(mac, found):
            problem = "the link does not follow from the one before (edited, forged or reordered)"
            return Break(at_chain, seq, kind, ref, problem), ends, counted
        prev = found
    if chain is not None:
        ends[chain] = (expected_seq - 1, prev)
    if progress and counted % 10_000:
        progress(counted % 10_000)
    return None, ends, counted


def _against_checkpoint(session: Session, expect: dict[str, Any], ends: dict[int, tuple[int, str]]) -> Break | None:
    links = bulk.table_of(AuditLink)
    for head_chain, head_seq, head_hash in expect["heads"]:
        end_seq, _ = ends.get(head_chain, (0, GENESIS))
        if end_seq < head_seq:
            return Break(
                head_chain,
                end_seq + 1,
                "link",
                str(end_seq + 1),
                f"the chain ends at link {end_seq} but checkpoint {expect.get('id')} saw it reach link "
                f"{head_seq}: links {end_seq + 1}–{head_seq} were deleted",
            )
        found = session.execute(
            select(links.c.hash).where(links.c.chain == head_chain, links.c.seq == head_seq)
        ).scalar_one()
        if found != head_hash:
            return Break(
                head_chain,
                head_seq,
                "link",
                str(head_seq),
                f"the link is not the one checkpoint {expect.get('id')} saw (the chain was rewritten)",
            )
    return None


NEWEST_PER_PASS = 1_000_000  # links whose digests `verify` holds at once (≈ 300 MB) — unless one kind has more


def kind_passes(session: Session) -> list[tuple[str, ...]]:
    """The covered kinds in groups, each checked with one read of the links: as many kinds as
    together have at most NEWEST_PER_PASS links (a kind with more is a group by itself; small
    kinds join whichever group is open). One scan of the links per group instead of one per
    kind: on a large database most kinds are small, and a scan of every link for each of them
    was most of `verify`'s time."""
    links = bulk.table_of(AuditLink)
    counts = {kind: int(n) for kind, n in session.execute(select(links.c.kind, func.count()).group_by(links.c.kind))}
    passes: list[tuple[str, ...]] = []
    group: list[str] = []
    held = 0
    for kind in KINDS:
        n = counts.get(kind, 0)
        # a kind of under 1 % of the budget always joins (a whole read of the links for a handful
        # of rows is not worth the memory saved): at most 15 % over NEWEST_PER_PASS
        if group and held + n > NEWEST_PER_PASS and n > NEWEST_PER_PASS // 100:
            passes.append(tuple(group))
            group, held = [], 0
        group.append(kind)
        held += n
    passes.append(tuple(group))
    return passes


def check_rows(session: Session, kind: str) -> list[Break]:
    """Every row of one kind against its newest link (see `check_kinds`)."""
    return check_kinds(session, (kind,))


def check_kinds(session: Session, kinds: Sequence[str]) -> list[Break]:
    """Every row of these kinds against its newest link: edited or deleted rows (naming the link),
    then rows without any link, kind by kind. Only these kinds' newest digests are held in memory."""
    edited: list[Break] = []
    unlinked: list[Break] = []
    newest = _newest_links(session, kinds)
    for kind in kinds:
        linked = newest.pop(kind)
        for ref, record in _source_records_of(session, kind):
            at = linked.pop(ref, None)
            if at is None:
                unlinked.append(Break(None, None, kind, ref, "written without an audit link"))
            elif hashlib.sha256(canonical(record).encode()).digest() != at[1]:
                edited.append(Break(at[0] >> 32, at[0] & 0xFFFF_FFFF, kind, ref, "the record it covers was edited"))
        for ref, at in linked.items():
            edited.append(Break(at[0] >> 32, at[0] & 0xFFFF_FFFF, kind, ref, "the record it covers was deleted"))
    return edited + unlinked


# --- verifying in several processes (PostgreSQL), all on one snapshot ------------------------------


def _in_processes(session: Session, tasks: list[tuple[Callable[..., Any], tuple[Any, ...]]], jobs: int) -> list[Any]:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    snapshot = session.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_run_on_snapshot, url, snapshot, task, args) for task, args in tasks]
        return [future.result() for future in futures]


def _run_on_snapshot(url: str, snapshot: str, task: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    engine = make_engine(url, isolation_level="REPEATABLE READ")
    try:
        with Session(engine) as session, session.begin():
            if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
                raise ValueError(f"not a snapshot id: {snapshot!r}")
            session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
            return task(session, *args)
    finally:
        engine.dispose()


def _walk_task(session: Session, keyring: Keyring, jobs: int, part: int) -> Any:
    return walk_chains(session, keyring, jobs=jobs, part=part)


def _rows_task(session: Session, kinds: tuple[str, ...]) -> list[Break]:
    return check_kinds(session, kinds)


def _newest_links(session: Session, kinds: Sequence[str]) -> dict[str, dict[str, tuple[int, bytes]]]:
    """kind → ref → (chain << 32 | seq, digest) of each row's newest link of that kind. One scan
    of the links in table order (a row's versions are all in its one chain, so the newest is the
    one with the highest number): no sort, no walk of the primary key's index."""
    links = bulk.table_of(AuditLink)
    stmt = (
        select(links.c.kind, links.c.chain, links.c.seq, links.c.ref, links.c.digest)
        .where(links.c.kind.in_(kinds))
        .execution_options(yield_per=20000)
    )
    newest: dict[str, dict[str, tuple[int, bytes]]] = {kind: {} for kind in kinds}
    for kind, chain, seq, ref, found in session.execute(stmt):
        mine = newest[kind]
        at = chain << 32 | seq
        older = mine.get(ref)
        if older is None or at > older[0]:
            mine[ref] = (at, bytes.fromhex(found))
    return newest


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditLink)) or 0)


# --- the chain before issue 15: one global, unkeyed chain (audit_log) ----------------------------


def _legacy_link(prev_hash: str, kind: str, ref: str, record_digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{kind}|{ref}|{record_digest}".encode()).hexdigest()


def verify_legacy(session: Session) -> str | None:
    """Check the old global chain (`audit_log`) as it used to be checked; None when whole."""
    prev, expected = GENESIS, None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)):
        if expected is not None and entry.seq != expected:
            return f"legacy link {expected}: deleted"
        expected = entry.seq + 1
        if entry.prev_hash != prev or entry.hash != _legacy_link(entry.prev_hash, entry.kind, entry.ref, entry.digest):
            return f"legacy link {entry.seq} ({entry.kind} {entry.ref}): does not follow from the one before"
        prev = entry.hash
    legacy = {(e.kind, e.ref): e.digest for e in session.scalars(select(AuditEntry))}
    for kind, records in _source_records(session):
        if kind not in ("case_event", "ledger", "abuse_mark"):
            continue
        for ref, record in records:
            found = legacy.get((kind, ref))
            if found is not None and found != digest(record):
                return f"legacy link for {kind} {ref}: the record it covers was edited"
    return None


def adopt(session: Session, now: datetime, *, batch: int = 20_000) -> int:
    """Link every covered row that has no link yet (rows written before the keyed chains, or
    before a table was covered), after checking the old global chain. Returns how many.

    Streaming (`ChainWriter`): every chain locked once for the whole run, the links made with the
    commit path's `_link_row` and written `batch` at a time (COPY on PostgreSQL): 1 M cases'
    4 M rows in about 4 minutes (benchmarks/README.md)."""
    problem = verify_legacy(session)
    if problem is not None:
        raise ValueError(f"the old audit chain is broken, not adopting: {problem}")
    links = bulk.table_of(AuditLink)
    writer = ChainWriter(session, batch)  # every chain locked until the commit, written as it goes
    for kind, records in _source_records(session):
        linked = set(session.scalars(select(links.c.ref).where(links.c.kind == kind).distinct()))
        for ref, record in records:
            if ref not in linked:
                writer.add(kind, ref, record, now)
        writer.flush()  # before the next kind's `linked` is read
    return writer.written


# --- prepared records and savepoints ---------------------------------------------------------------

SAVEPOINT_MARKS = "peifu_audit_savepoint_marks"  # a savepoint (SessionTransaction) → prepared_mark at its start


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: Any) -> None:
    """Rows written with Core inside a savepoint leave their prepared records (`append_prepared`)
    here; a rollback of the savepoint takes the rows back, and so must take the records back."""
    if transaction.nested:
        session.info.setdefault(SAVEPOINT_MARKS, {})[transaction] = prepared_mark(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_prepared_of_savepoint(session: Session, previous_transaction: Any) -> None:
    mark = session.info.get(SAVEPOINT_MARKS, {}).pop(previous_transaction, None)
    if previous_transaction.nested and mark is not None:
        forget_prepared_since(session, mark)


@event.listens_for(Session, "after_transaction_end")
def _drop_savepoint_marks(session: Session, transaction: Any) -> None:
    """The marks live until the outermost transaction ends (a savepoint's own end comes before
    the rollback event that needs its mark)."""
    if transaction.parent is None:
        session.info.pop(SAVEPOINT_MARKS, None)
