"""The database schema, as SQLAlchemy 2 mapped classes.

Rows here are storage; the rules that change them live in `peifu.domain` and are applied by
`peifu.services`. Money columns are BigInteger fen with CHECK constraints, so even a bug in a
service cannot store a negative price or refund.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from peifu.db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class PolicyVersionRow(Base):
    """Every policy text ever put in force, immutable, so old cases keep their rules."""

    __tablename__ = "policy_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    activated_at: Mapped[datetime]


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(64))
    # tmall-like shops promise 假一赔十; others fall back to the statutory counterfeit minimum
    kind: Mapped[str] = mapped_column(String(16), default="taobao", server_default="taobao")
    created_at: Mapped[datetime]


class Buyer(Base):
    """The buyer's personal data lives here only: masked in answers, purged after retention."""

    __tablename__ = "buyers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    purged_at: Mapped[datetime | None]


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("shipping_fee_fen >= 0", name="shipping_fee_non_negative"),
        CheckConstraint(
            "shipping_refunded_fen >= 0 AND shipping_refunded_fen <= shipping_fee_fen",
            name="shipping_refund_within_fee",
        ),
        Index("ix_orders_shop_created", "shop_id", "created_at"),
        Index("ix_orders_buyer_created", "buyer_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the marketplace's order number
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"))
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"))
    state: Mapped[str] = mapped_column(String(32))
    policy_version: Mapped[str] = mapped_column(ForeignKey("policy_versions.version"))
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    ship_deadline: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    courier: Mapped[str | None] = mapped_column(String(64))
    tracking_no: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None]
    refused_delivery_at: Mapped[datetime | None]
    refused_delivery_reason: Mapped[str | None] = mapped_column(String(500))
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    auto_confirm_at: Mapped[datetime | None]
    free_shipping: Mapped[bool] = mapped_column(Boolean, default=False)
    shipping_fee_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    shipping_refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    shipping_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    promotion: Mapped[str | None] = mapped_column(String(64))
    presale_ship_by: Mapped[datetime | None]
    invoice_promised: Mapped[bool] = mapped_column(Boolean, default=False)
    gifts: Mapped[list[Any]] = mapped_column(JSON, default=list)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(order_by="OrderEvent.id", cascade="all, delete-orphan")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="order_line_no"),
        CheckConstraint("unit_price_fen >= 0", name="unit_price_non_negative"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("paid_fen >= 0", name="paid_non_negative"),
        CheckConstraint("refunded_fen >= 0 AND refunded_fen <= paid_fen", name="refund_within_paid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(64))
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    # Running total of executed refunds: the CHECK above makes "never refund more than was paid"
    # a database invariant, not only a service rule.
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    custom_made: Mapped[bool] = mapped_column(Boolean, default=False)
    perishable: Mapped[bool] = mapped_column(Boolean, default=False)
    digital: Mapped[bool] = mapped_column(Boolean, default=False)
    food: Mapped[bool] = mapped_column(Boolean, default=False)

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def flags(self) -> frozenset[str]:
        names = ("custom_made", "perishable", "digital", "food")
        return frozenset(name for name in names if getattr(self, name))


class OrderEvent(Base):
    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_shop_opened", "shop_id", "opened_at"),
        Index("ix_cases_buyer_opened", "buyer_id", "opened_at"),
        Index("ix_cases_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"))
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"))
    case_type: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(String(16))  # in_trade | post_trade
    description: Mapped[str] = mapped_column(Text, default="")
    policy_version: Mapped[str] = mapped_column(ForeignKey("policy_versions.version"))
    opened_at: Mapped[datetime]
    state_entered_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    refuse_reason: Mapped[str | None] = mapped_column(Text)
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    return_courier: Mapped[str | None] = mapped_column(String(64))
    return_tracking_no: Mapped[str | None] = mapped_column(String(64))
    return_shipped_at: Mapped[datetime | None]
    return_signed_at: Mapped[datetime | None]
    return_shipping_fee_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    replacement_courier: Mapped[str | None] = mapped_column(String(64))
    replacement_tracking_no: Mapped[str | None] = mapped_column(String(64))
    replacement_shipped_at: Mapped[datetime | None]
    # 签收自动退款: the seller agreed to confirm the returned goods as soon as the courier reports them
    # signed for (see domain.case_machine, domain.auto_handling)
    confirm_return_on_sign: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # 恶意退款 / 职业索赔: an agent marked the request as an abusive buyer claim; the order then
    # counts in none of the shop's after-sale metrics (see services.metrics)
    abusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    abusive_marked_at: Mapped[datetime | None]
    abusive_marked_by: Mapped[str | None] = mapped_column(String(64))
    abusive_note: Mapped[str | None] = mapped_column(Text)
    # the buyer mark (云标签, BuyerAbuseMark) under which the case is marked abusive; None when an
    # agent marked the case itself. Lifting that buyer mark unmarks exactly these cases.
    abusive_mark_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    purged_at: Mapped[datetime | None]  # personal data removed after the retention period
    # 分诊: what the buyer's description suggests (peifu.triage), set when the request is opened or
    # its description modified; the agent and seller queues sort by it (services.triage.queue_sort_key)
    triage_reason: Mapped[str | None] = mapped_column(String(32))
    triage_case_type: Mapped[str | None] = mapped_column(String(32))
    triage_priority: Mapped[str | None] = mapped_column(String(16))
    triage_confidence: Mapped[float | None] = mapped_column(Float)
    triage_signals: Mapped[list[Any] | None] = mapped_column(JSON)
    triage_model: Mapped[str | None] = mapped_column(String(64))

    lines: Mapped[list[CaseLine]] = relationship(order_by="CaseLine.id", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.seq", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it as a class attribute

    @property
    def refund_amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


class CaseLine(Base):
    """The lines a case is about and the money asked for each."""

    __tablename__ = "case_lines"
    __table_args__ = (
        UniqueConstraint("case_id", "order_line_id", name="case_line"),
        CheckConstraint("amount_fen >= 0", name="amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)

    order_line: Mapped[OrderLine] = relationship()


class CaseEvent(Base):
    """One transition of a case: the timeline. Append-only."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="case_event_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    at: Mapped[datetime]
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Deadline(Base):
    """A stored timer. The worker claims due rows; each fires exactly once or is cancelled."""

    __tablename__ = "deadlines"
    __table_args__ = (
        Index(
            "ix_deadlines_pending_due",
            "due_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_deadlines_case", "case_id", "status"),
        Index("ix_deadlines_order", "order_id", "status"),
        Index(
            "ix_deadlines_reminders",
            "remind_at",
            postgresql_where=text("status = 'pending' AND reminded_at IS NULL"),
            sqlite_where=text("status = 'pending' AND reminded_at IS NULL"),
        ),
        Index("ix_deadlines_service_complaint", "service_complaint_id", "status"),
        CheckConstraint(
            "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN order_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN service_complaint_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"))
    service_complaint_id: Mapped[int | None] = mapped_column(ForeignKey("service_complaints.id"))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(200))
    # deadline.approaching: when the parties are reminded (None: never), and when they were
    remind_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class SandboxClockRow(Base):
    """The sandbox test clock's offset, shared by the API and every worker process."""

    __tablename__ = "sandbox_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerTransaction(Base):
    """One balanced posting. Sealed once its entries are written; the database refuses to seal
    an unbalanced one and refuses entries into a sealed one (see the ledger migration)."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        Index("ix_ledger_transactions_case", "case_id"),
        Index("ix_ledger_transactions_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    memo: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"))
    shop_id: Mapped[str | None] = mapped_column(String(64))
    buyer_id: Mapped[str | None] = mapped_column(String(64))
    policy_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    entries: Mapped[list[LedgerEntry]] = relationship(order_by="LedgerEntry.id")


class LedgerEntry(Base):
    """One leg: what `account` gains (negative: gives) in a transaction. Append-only."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_account", "account"),
        CheckConstraint("amount_fen <> 0", name="non_zero"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    txn_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class Compensation(Base):
    """A compensation paid on a case: at most one per case and rule, by a unique constraint."""

    __tablename__ = "compensations"
    __table_args__ = (
        UniqueConstraint("case_id", "rule", name="once_per_case_rule"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payout_method: Mapped[str] = mapped_column(String(32))
    payer: Mapped[str] = mapped_column(String(16))
    policy_version: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(Text)
    txn_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    recovery_txn_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A payout owed to the outside world, written in the same transaction as its ledger entries.

    The dispatcher sends it with its idempotency key until the gateway confirms, so a crash
    anywhere loses nothing and a retry pays nothing twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    kind: Mapped[str] = mapped_column(String(32))  # payout
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    txn_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    gateway_ref: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    settlement_txn_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))


class GatewayPayoutRow(Base):
    """The sandbox payment gateway's own book: one row per idempotency key, as a real gateway keeps."""

    __tablename__ = "gateway_payouts"

    idempotency_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    payee: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class Dispute(Base):
    """A case under platform intervention: its evidence phase, rulings and appeal."""

    __tablename__ = "disputes"
    __table_args__ = (Index("ix_disputes_queue", "status", "evidence_deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(String(16))  # buyer | seller | system | complaint
    # evidence → ruled → (appealed → ruled) ; final once the appeal window passed or the appeal was decided
    status: Mapped[str] = mapped_column(String(16), default="evidence")
    assigned_agent: Mapped[str | None] = mapped_column(String(64))
    evidence_deadline: Mapped[datetime]
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    duties: Mapped[list[Any]] = mapped_column(JSON, default=list)
    guidance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    liable_party: Mapped[str | None] = mapped_column(String(16))
    appeal_deadline: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    rulings: Mapped[list[Ruling]] = relationship(order_by="Ruling.id")


class EvidenceBlob(Base):
    """File contents, stored once by their SHA-256: nothing is ever overwritten."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    party: Mapped[str] = mapped_column(String(16))  # buyer | seller | agent
    party_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence_blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    content_type: Mapped[str | None] = mapped_column(String(100))
    filename: Mapped[str | None] = mapped_column(String(255))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)  # the agent shared it with the other party
    for_appeal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Ruling(Base):
    """An agent's decision (or the automatic one at the evidence deadline). Never edited:
    an appeal that replaces it adds a new ruling that `supersedes` it."""

    __tablename__ = "rulings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    agent_id: Mapped[str] = mapped_column(String(64))  # "system" for the evidence-deadline default
    outcome: Mapped[str] = mapped_column(String(16))
    case_type: Mapped[str | None] = mapped_column(String(32))
    refund_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    liable_party: Mapped[str] = mapped_column(String(16))
    compensations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reasoning: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    on_appeal: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"))
    created_at: Mapped[datetime]


class Appeal(Base):
    """申诉: the losing party's one request for a second review, by a different agent."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), unique=True)  # once per dispute
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"))
    party: Mapped[str] = mapped_column(String(16))
    party_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    reviewer: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(16))  # upheld | replaced
    decided_at: Mapped[datetime | None]


class Complaint(Base):
    """规则投诉: a buyer's complaint that a seller broke a platform rule. One per order, ever —
    a withdrawn complaint still holds the order's place."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_queue", "status", "filed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64), index=True)
    complaint_type: Mapped[str] = mapped_column(String(32))  # breach_of_promise | not_as_described
    violation: Mapped[str] = mapped_column(String(40))  # the penalty row claimed, e.g. invoice_refused
    description: Mapped[str] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(ForeignKey("policy_versions.version"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | upheld | rejected | withdrawn
    filed_at: Mapped[datetime]
    assigned_agent: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    reasoning: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None]
    appeal_deadline: Mapped[datetime | None]
    appealed_at: Mapped[datetime | None]
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    appeal_decided_by: Mapped[str | None] = mapped_column(String(64))
    appeal_decision: Mapped[str | None] = mapped_column(String(16))  # upheld | overturned


class Penalty(Base):
    """扣分: points deducted from a shop's record by an upheld complaint. Revoked, never deleted,
    when an appeal overturns the complaint."""

    __tablename__ = "penalties"
    __table_args__ = (
        Index("ix_penalties_shop_at", "shop_id", "created_at"),
        CheckConstraint("points >= 0", name="points_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    violation: Mapped[str] = mapped_column(String(40))
    points: Mapped[int]
    policy_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SanctionRow(Base):
    """处罚: what accumulated points triggered, with the complaints that caused it."""

    __tablename__ = "sanctions"
    __table_args__ = (Index("ix_sanctions_shop", "shop_id", "triggered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    sanction: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[int]
    points_at_trigger: Mapped[int]
    complaint_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    policy_version: Mapped[str] = mapped_column(String(64))
    triggered_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # points: penalty points of rule complaints; service_misses: missed service-complaint steps (6.1)
    basis: Mapped[str] = mapped_column(String(16), default="points", server_default="points")


class User(Base):
    """A person who logs in: a buyer, seller staff of a shop, a platform agent or an admin."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the login name
    role: Mapped[str] = mapped_column(String(16))  # buyer | seller | agent | admin
    party_id: Mapped[str | None] = mapped_column(String(64))  # the buyer id, or the shop id for seller staff
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class AuthSession(Base):
    """A login: the bearer token (or page cookie) is only ever stored as its SHA-256."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiKey(Base):
    """An integration client's key, scoped to one shop or to the platform; stored hashed."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public prefix, e.g. pk_live_ab12cd34
    secret_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(80))  # platform | shop:<shop id>
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One link of the audit chain: a digest of a case event or ledger transaction, chained to the
    previous link by SHA-256, so that any edit or deletion of either is detectable."""

    __tablename__ = "audit_log"

    # numbered by the chain from its end, under its lock (services.audit._lock_chain_end), never by the
    # column's sequence: a dying writer must not leave a hole that reads as deleted links
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # case_event | ledger
    ref: Mapped[str] = mapped_column(String(64))  # "<case id>:<seq>" or the ledger transaction id
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical record
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("kind", "ref", name="audit_ref"),)


class AuditLink(Base):
    """One link of one of the audit chains (services.audit): a digest of one version of a row that
    decides money or liability, HMAC-chained to the link before it in the same chain. The chains are
    independent (a row's chain is a hash of its aggregate: its case, dispute, shop, buyer), so
    writers to different chains never wait for each other."""

    __tablename__ = "audit_links"

    chain: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    # numbered from the chain's end under the chain's lock, never by a sequence: no holes
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))  # case_event | ledger | case | ruling | outbox | ...
    ref: Mapped[str] = mapped_column(String(64))  # the row's key, e.g. "<case id>:<seq>" or the id
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the row's canonical record
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 under key `key_id`
    key_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class AuditCheckpoint(Base):
    """A signed Merkle root over the heads of all chains, also exported outside the database."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    root: Mapped[str] = mapped_column(String(64))
    heads: Mapped[list[Any]] = mapped_column(JSON)  # [[chain, seq, hash], ...] by chain
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(64))


class IdempotencyRecord(Base):
    """The first answer to a state-changing POST under an Idempotency-Key, replayed for retries."""

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(String(100), primary_key=True)  # who sent it (hashed credential)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    body_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(index=True)  # kept for the retention, then purged
    completed_at: Mapped[datetime | None]


class SellerAutoRule(Base):
    """自动化处理规则: a shop's standing answer to requests that match its conditions (see
    domain.auto_handling). Empty condition lists mean "any"; rules are tried by priority, then id."""

    __tablename__ = "seller_auto_rules"
    __table_args__ = (
        Index("ix_seller_auto_rules_shop", "shop_id", "priority"),
        CheckConstraint("max_amount_fen IS NULL OR max_amount_fen >= 0", name="max_amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"))
    name: Mapped[str] = mapped_column(String(100))
    priority: Mapped[int] = mapped_column(Integer, default=100)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    case_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    order_stages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    max_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))  # agree | agree_after_return_signed | ask_to_modify_reason
    suggested_reason: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(64))
    applied_count: Mapped[int] = mapped_column(Integer, default=0)  # requests it has answered
    last_applied_at: Mapped[datetime | None]


# --- after-sale metrics (services.metrics) ------------------------------------------------------


class MetricShop(Base):
    """The category a shop is ranked in, and so the category its metric rows are filed under:
    its own, or else its most common paid line category (`source` says which)."""

    __tablename__ = "metric_shops"
    __table_args__ = (Index("ix_metric_shops_category", "category"),)

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # shop | order_lines


class MetricDaily(Base):
    """Paid orders per shop and UTC day: the denominator of refund_rate and dispute_rate, counted
    when an order is paid. `slot` (a hash of the order id) spreads one shop's concurrent payments
    over a few rows so they do not queue on one row lock; readers add the slots up."""

    __tablename__ = "metric_daily"
    __table_args__ = (
        CheckConstraint("paid_orders >= 0", name="paid_orders_non_negative"),
        Index("ix_metric_daily_category", "category", "day", postgresql_include=["shop_id", "paid_orders"]),
    )

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    category: Mapped[str] = mapped_column(String(64))  # the shop's, see MetricShop
    paid_orders: Mapped[int] = mapped_column(Integer, default=0)


class MetricCase(Base):
    """One narrow row per after-sale case with what the metrics read, kept up to date by
    services.metrics whenever the case opens, moves or is ruled on. `excluded` is true for every
    case of an order with a case marked abusive. Indexed by category, so a whole category's cases
    in a window are one index range."""

    __tablename__ = "metric_cases"
    __table_args__ = (
        Index("ix_metric_cases_order", "order_id"),
        Index("ix_metric_cases_shop", "shop_id"),
        Index(
            "ix_metric_cases_paid",
            "category",
            "paid_day",
            postgresql_include=["shop_id", "order_id", "dispute_lost", "excluded", "post_trade"],
        ),
        Index(
            "ix_metric_cases_resolved",
            "category",
            "resolved_at",
            postgresql_include=["shop_id", "resolution_seconds", "disputed"],
            postgresql_where=text("resolved_at IS NOT NULL AND NOT excluded"),
            sqlite_where=text("resolved_at IS NOT NULL AND NOT excluded"),
        ),
        Index(
            "ix_metric_cases_responded",
            "category",
            "responded_at",
            postgresql_include=["shop_id", "response_seconds"],
            postgresql_where=text("responded_at IS NOT NULL AND NOT excluded"),
            sqlite_where=text("responded_at IS NOT NULL AND NOT excluded"),
        ),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, autoincrement=False)
    order_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))  # the shop's, see MetricShop
    paid_day: Mapped[date | None] = mapped_column(Date)  # the order's payment day (UTC)
    opened_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]  # the seller's first action, or the system's auto-agree
    response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None]  # set while the case is in a final state
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    dispute_lost: Mapped[bool] = mapped_column(Boolean, default=False)  # ruled against the seller
    abusive: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    # requested after the trade completed (cases.phase): not in the refund and dispute rates unless
    # the policy rates it (metrics.rated_phases)
    post_trade: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MetricShopLines(Base):
    """Paid order lines per category for shops that have no category of their own: such a shop
    is ranked in its most common line category."""

    __tablename__ = "metric_shop_lines"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    lines: Mapped[int] = mapped_column(Integer, default=0)


Index("ix_shops_category", Shop.category)


# --- buyer console: satisfaction ratings and request photos (migration 0007_buyer_ratings) ---------


class SatisfactionRating(Base):
    """满意度评价: the buyer's 1–5 rating of how a finished case turned out. One per case, never
    edited; `outcome` is the final state the buyer rated."""

    __tablename__ = "satisfaction_ratings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        Index("ix_satisfaction_ratings_shop", "shop_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class CaseAttachment(Base):
    """A photo (or other file) a party attached to a case before any dispute, e.g. when opening
    the request. The bytes live in `evidence_blobs`, checked against the evidence limits; when the
    case goes to intervention they are carried into the dispute's evidence."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str | None] = mapped_column(String(64))  # distribution key, filled on PostgreSQL (db.distribution)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party: Mapped[str] = mapped_column(String(16))  # buyer | seller
    party_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]


# --- abuse signals and buyer marks (services.abuse) -----------------------------------------------


class BuyerAbuseMark(Base):
    """云标签: the platform marks a buyer's claims as abusive. It marks the buyer's existing claims
    in `scope` (all | since | cases | none) and every claim the buyer opens while it stands, all
    narrowed to one shop when `shop_id` is set; lifting it unmarks the claims it marked. At most
    one mark stands per buyer (a partial unique index)."""

    __tablename__ = "buyer_abuse_marks"
    __table_args__ = (
        Index("ix_buyer_abuse_marks_buyer", "buyer_id", "marked_at"),
        Index(
            "uq_buyer_abuse_marks_standing",
            "buyer_id",
            unique=True,
            postgresql_where=text("lifted_at IS NULL"),
            sqlite_where=text("lifted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"))
    shop_id: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime | None]
    case_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[datetime]
    cases_marked: Mapped[int] = mapped_column(Integer, default=0)
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(64))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    cases_unmarked: Mapped[int | None] = mapped_column(Integer)


class AbuseMarkEvent(Base):
    """Who marked, lifted or applied a buyer mark, when, why, and which claims it changed.
    Append-only, and chained into the audit log (kind `abuse_mark`)."""

    __tablename__ = "abuse_mark_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("buyer_abuse_marks.id"), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # mark | lift | apply (a new claim under a standing mark)
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    case_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)


# --- events out (services.events, services.webhooks) ---------------------------------------------

EventPk = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements only INTEGER keys


class EventRow(Base):
    """One domain event (peifu.domain.events), written in the transaction of the change it tells.

    `id` orders events as they were written; `position` is the feed's order, given by the
    sequencer (services.events.sequence) to committed events only, so a reader never skips an
    event that commits late. Events of one case are written under the case's lock, so their ids —
    and positions — follow the order the changes were committed in."""

    __tablename__ = "events"
    __table_args__ = (
        Index(
            "ix_events_unpositioned",
            "id",
            postgresql_where=text("position IS NULL"),
            sqlite_where=text("position IS NULL"),
        ),
        Index("ix_events_shop_position", "shop_id", "position"),
        Index("ix_events_buyer_position", "buyer_id", "position"),
        Index("ix_events_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(EventPk, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[int] = mapped_column(SmallInteger)
    occurred_at: Mapped[datetime]
    shop_id: Mapped[str | None] = mapped_column(String(64))
    buyer_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[str | None] = mapped_column(String(64))
    ordering_key: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)


class WebhookEndpoint(Base):
    """A receiver's URL, what it subscribed to, and its signing secrets (Standard Webhooks)."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_shop", "shop_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # we_…
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    shop_id: Mapped[str | None] = mapped_column(String(64))  # None: every shop (platform keys only)
    event_types: Mapped[list[Any] | None] = mapped_column(JSON)  # None: every type the owner may see
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | failing | disabled
    secret: Mapped[str] = mapped_column(String(100))  # whsec_…
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    failing_since: Mapped[datetime | None]
    probe_at: Mapped[datetime | None]  # a failing endpoint is tried again (its oldest delivery) then
    last_success_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One event owed to one endpoint; delivered at least once, in order per case.

    Of the pending deliveries of one endpoint and ordering key (a case), only the oldest is ever
    `held = false` — due to be sent, or waiting for its retry; the others are held behind it and
    released one at a time as each is delivered (services.webhooks)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending' AND NOT held"),
            sqlite_where=text("status = 'pending' AND NOT held"),
        ),
        Index(
            "ix_webhook_deliveries_queue",
            "endpoint_id",
            "ordering_key",
            "position",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(EventPk, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    position: Mapped[int] = mapped_column(BigInteger)
    ordering_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    replay: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class WebhookAttempt(Base):
    """One HTTP request made to deliver an event: what the receiver answered, and how fast."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_endpoint", "endpoint_id", "id"),)

    id: Mapped[int] = mapped_column(EventPk, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    endpoint_id: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(String(500))


class EventSink(Base):
    """How far a publisher (the RabbitMQ relay) has published the feed, and who holds it now."""

    __tablename__ = "event_sinks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    published: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


class ServiceComplaint(Base):
    """售后投诉 (seed 003 卖家售后投诉处理制度): a buyer's complaint about how a shop treated them,
    with working-day deadlines at every step (domain.service_complaints)."""

    __tablename__ = "service_complaints"
    __table_args__ = (
        Index("ix_service_complaints_shop", "shop_id", "filed_at"),
        Index("ix_service_complaints_buyer", "buyer_id", "filed_at"),
        Index("ix_service_complaints_state", "state", "filed_at"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    channel: Mapped[str] = mapped_column(String(16))  # phone | email | online | chat | social_media
    entered_by: Mapped[str | None] = mapped_column(String(64))  # the agent who entered it for the buyer
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(32))  # set when registered
    suggested_category: Mapped[str | None] = mapped_column(String(32))  # from the triage
    state: Mapped[str] = mapped_column(String(24))
    state_entered_at: Mapped[datetime]
    policy_version: Mapped[str] = mapped_column(ForeignKey("policy_versions.version"))
    filed_at: Mapped[datetime]
    registered_at: Mapped[datetime | None]
    forwarded_at: Mapped[datetime | None]
    contacted_at: Mapped[datetime | None]
    remedy: Mapped[str | None] = mapped_column(Text)
    remedy_proposed_at: Mapped[datetime | None]
    promised_by: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(Text)


class ServiceComplaintEntry(Base):
    """One move of a service complaint: its timeline. Append-only."""

    __tablename__ = "service_complaint_entries"
    __table_args__ = (UniqueConstraint("complaint_id", "seq", name="service_complaint_entry_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("service_complaints.id"), index=True)
    seq: Mapped[int]
    at: Mapped[datetime]
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ServiceComplaintMiss(Base):
    """A step whose deadline passed undone — the shop's or the platform's. One per complaint and
    step, whatever number of workers fire the deadline: the unique key is what counts it once."""

    __tablename__ = "service_complaint_misses"
    __table_args__ = (
        UniqueConstraint("complaint_id", "step", name="service_complaint_miss_once"),
        Index("ix_service_complaint_misses_shop", "shop_id", "missed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("service_complaints.id"))
    shop_id: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(16))  # answer | forward | contact | remedy | carry_out
    party: Mapped[str] = mapped_column(String(16))  # shop | platform
    due_at: Mapped[datetime]
    missed_at: Mapped[datetime]


# --- the distribution key of the hot tables that carried their shop only through a parent ---------------
# (migration 0016_distribution_keys; peifu.db.distribution, docs/scaling.md)
Index("ix_order_lines_shop", OrderLine.shop_id, OrderLine.order_id)
Index("ix_order_events_shop", OrderEvent.shop_id, OrderEvent.order_id)
Index("ix_case_lines_shop", CaseLine.shop_id, CaseLine.case_id)
Index("ix_case_events_shop", CaseEvent.shop_id, CaseEvent.case_id)
Index("ix_case_attachments_shop", CaseAttachment.shop_id, CaseAttachment.case_id)
Index("ix_compensations_shop", Compensation.shop_id, Compensation.case_id)
Index("ix_deadlines_shop", Deadline.shop_id, Deadline.due_at)
Index("ix_outbox_shop", OutboxMessage.shop_id, OutboxMessage.created_at)
Index("ix_ledger_entries_shop", LedgerEntry.shop_id, LedgerEntry.txn_id)
Index("ix_evidence_shop", Evidence.shop_id, Evidence.dispute_id)
Index("ix_rulings_shop", Ruling.shop_id, Ruling.dispute_id)
Index("ix_appeals_shop", Appeal.shop_id, Appeal.dispute_id)
Index("ix_ledger_transactions_shop", LedgerTransaction.shop_id, LedgerTransaction.created_at)  # had the column
