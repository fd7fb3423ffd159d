"""滥用信号 and 云标签: explained abuse signals for agents, and the platform's mark on a buyer's claims.

Signals are computed on demand (`peifu.domain.abuse` holds the rules): a buyer's or a shop's
history of the policy window is loaded with a few bounded, indexed queries — orders by
(buyer_id | shop_id, created_at), requests by (buyer_id, opened_at), their timelines, evidence and
courier events joined from those — never a scan of the whole tables.

Agents (and admins) read signals: of a buyer, of a shop, and of a dispute (both parties). Buyers,
sellers and integrations never do — a party must not see what the platform suspects of the other.

A mark (`BuyerAbuseMark`) makes the buyer's claims abusive claims through the same flag an agent
sets on one case (`services.metrics.set_abusive`), so they leave the shop's metrics exactly as a
case marked by hand does: the existing claims in the chosen scope at once, and every claim the
buyer opens while the mark stands as it is opened (`on_case_opened`, called by `services.cases`).
Lifting the mark unmarks the claims it marked, and no others. Every mark, lift and application
is an `AbuseMarkEvent` — who, when, why, which cases — chained into the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from peifu.db.locking import lock_case, lock_order
from peifu.db.models import (
    AbuseMarkEvent,
    Buyer,
    BuyerAbuseMark,
    Case,
    CaseEvent,
    Dispute,
    Evidence,
    Order,
    OrderEvent,
    Shop,
)
from peifu.domain import abuse as rules
from peifu.domain.abuse import (
    BuyerClaim,
    BuyerHistory,
    BuyerOrder,
    ClaimStep,
    MarkScope,
    MarkTerms,
    ShopHistory,
    Signal,
)
from peifu.domain.abuse import ShopOrder as ShopOrderFact
from peifu.domain.actors import Actor
from peifu.domain.errors import Conflict, Forbidden, Invalid, NotFound
from peifu.domain.events import DomainEvent, EventType
from peifu.domain.policy import AbuseRules
from peifu.domain.vocabulary import CaseAction, OrderEventKind, Role
from peifu.services import audit, events, metrics
from peifu.services.context import Ctx

STEP_ACTIONS = {
    "open": "open",
    str(CaseAction.modify): "modify",
    str(CaseAction.refuse): "refuse",
    str(CaseAction.accept_proposal): "accept",
}
# order events that are not the courier's: the marketplace's own, and a confirmation (which counts
# as movement only when the buyer, not the auto-confirm timer, made it)
NOT_COURIER = (str(OrderEventKind.paid), str(OrderEventKind.shipped), str(OrderEventKind.closed))


def check_reader(actor: Actor) -> None:
    """Agents and admins only: refused outright for everyone else, before anything is looked up,
    so the answer says nothing about whether the buyer, shop or dispute exists."""
    if actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "Abuse signals are for platform agents.")


def _rules(ctx: Ctx) -> AbuseRules:
    return ctx.policies.current.abuse


# --- loading histories --------------------------------------------------------------------------


def buyer_history(ctx: Ctx, buyer_id: str) -> BuyerHistory:
    """The buyer's orders placed and requests opened in the policy window, with what the rules need."""
    session, now, policy = ctx.session, ctx.now(), _rules(ctx)
    start = now - timedelta(days=policy.window_days.value)
    orders = tuple(
        BuyerOrder(order_id, shop_id, created_at, paid_at is not None)
        for order_id, shop_id, created_at, paid_at in session.execute(
            select(Order.id, Order.shop_id, Order.created_at, Order.paid_at).where(
                Order.buyer_id == buyer_id, Order.created_at >= start, Order.created_at <= now
            )
        )
    )
    in_window = (Case.buyer_id == buyer_id, Case.opened_at >= start, Case.opened_at <= now)
    steps: dict[int, list[ClaimStep]] = defaultdict(list)
    events = (
        select(CaseEvent.case_id, CaseEvent.at, CaseEvent.actor_role, CaseEvent.action, CaseEvent.data)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(*in_window, CaseEvent.action.in_(list(STEP_ACTIONS)))
        .order_by(CaseEvent.case_id, CaseEvent.seq)
    )
    for case_id, at, actor_role, action, data in session.execute(events):
        kind = STEP_ACTIONS[action]
        if kind == "refuse":
            if actor_role == Role.seller:
                steps[case_id].append(ClaimStep(at, "refuse"))
            continue
        data = data or {}
        steps[case_id].append(ClaimStep(at, kind, _text(data.get("reason")), _text(data.get("case_type"))))  # type: ignore[arg-type]
    proof_kinds = list(policy.counterfeit_proof_kinds.value)
    proven = set(
        session.scalars(
            select(Dispute.case_id)
            .join(Evidence, Evidence.dispute_id == Dispute.id)
            .join(Case, Case.id == Dispute.case_id)
            .where(*in_window, Evidence.party == "buyer", Evidence.kind.in_(proof_kinds))
            .distinct()
        )
    )
    claims = []
    rows = session.execute(
        select(
            Case.id,
            Case.order_id,
            Case.shop_id,
            Case.opened_at,
            Case.case_type,
            Case.reason,
            Order.signed_at,
            Order.completed_at,
        )
        .join(Order, Order.id == Case.order_id)
        .where(*in_window)
    )
    for case_id, order_id, shop_id, opened_at, case_type, reason, signed_at, completed_at in rows:
        timeline = steps.get(case_id) or [ClaimStep(opened_at, "open", reason, case_type)]
        claims.append(
            BuyerClaim(
                case_id,
                order_id,
                shop_id,
                opened_at,
                tuple(timeline),
                has_proof=case_id in proven,
                received_at=signed_at or completed_at,
            )
        )
    return BuyerHistory(buyer_id, now, orders, tuple(claims))


def shop_history(ctx: Ctx, shop_id: str) -> ShopHistory:
    """The shop's orders placed in the policy window, each with its first courier event after shipment."""
    session, now, policy = ctx.session, ctx.now(), _rules(ctx)
    start = now - timedelta(days=policy.window_days.value)
    in_window = (Order.shop_id == shop_id, Order.created_at >= start, Order.created_at <= now)
    moved: dict[str, datetime] = {}
    events = (
        select(OrderEvent.order_id, OrderEvent.kind, OrderEvent.at, OrderEvent.data)
        .join(Order, Order.id == OrderEvent.order_id)
        .where(*in_window, Order.shipped_at.is_not(None), OrderEvent.kind.not_in(NOT_COURIER))
    )
    for order_id, kind, at, data in session.execute(events):
        if kind == OrderEventKind.confirmed and (data or {}).get("actor") == "system":
            continue  # the auto-confirm timer: nothing moved
        if order_id not in moved or at < moved[order_id]:
            moved[order_id] = at
    orders = []
    rows = session.execute(
        select(Order.id, Order.created_at, Order.paid_at, Order.ship_deadline, Order.shipped_at, Order.closed_at).where(
            *in_window
        )
    )
    for order_id, created_at, paid_at, ship_deadline, shipped_at, closed_at in rows:
        first = moved.get(order_id)
        if first is not None and shipped_at is not None and first < shipped_at:
            first = None
        orders.append(ShopOrderFact(order_id, created_at, paid_at, ship_deadline, shipped_at, first, closed_at))
    return ShopHistory(shop_id, now, tuple(orders))


def _text(value: Any) -> str | None:
    return str(value) if value else None


# --- reading signals ----------------------------------------------------------------------------


def signals_for_buyer(ctx: Ctx, buyer_id: str, actor: Actor | None = None) -> list[Signal]:
    if actor is not None:
        check_reader(actor)
    if ctx.session.get(Buyer, buyer_id) is None:
        raise NotFound("buyer_not_found", "No such buyer.", buyer_id=buyer_id)
    return rules.buyer_signals(buyer_history(ctx, buyer_id), _rules(ctx))


def signals_for_shop(ctx: Ctx, shop_id: str, actor: Actor | None = None) -> list[Signal]:
    if actor is not None:
        check_reader(actor)
    if ctx.session.get(Shop, shop_id) is None:
        raise NotFound("shop_not_found", "No such shop.", shop_id=shop_id)
    return rules.shop_signals(shop_history(ctx, shop_id), _rules(ctx))


def signals_for_case(ctx: Ctx, case_id: int, actor: Actor | None = None) -> list[Signal]:
    """Both parties of a case: the buyer's signals, then the shop's."""
    if actor is not None:
        check_reader(actor)
    case = ctx.session.get(Case, case_id)
    if case is None:
        raise NotFound("case_not_found", f"No case {case_id}.", case_id=case_id)
    history = buyer_history(ctx, case.buyer_id)
    return rules.buyer_signals(history, _rules(ctx)) + rules.shop_signals(shop_history(ctx, case.shop_id), _rules(ctx))


def signals_for_dispute(ctx: Ctx, dispute_id: int, actor: Actor | None = None) -> list[Signal]:
    """Both parties of a dispute: the buyer's signals, then the shop's (agents only when `actor` is given)."""
    if actor is not None:
        check_reader(actor)
    dispute = ctx.session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound("dispute_not_found", "No such dispute.", dispute_id=dispute_id)
    return signals_for_case(ctx, dispute.case_id)


# --- buyer marks (云标签) ----------------------------------------------------------------------------


def standing_mark(ctx: Ctx, buyer_id: str) -> BuyerAbuseMark | None:
    return ctx.session.scalars(
        select(BuyerAbuseMark).where(BuyerAbuseMark.buyer_id == buyer_id, BuyerAbuseMark.lifted_at.is_(None))
    ).first()


def marks_of(ctx: Ctx, buyer_id: str, limit: int = 20) -> list[BuyerAbuseMark]:
    """The buyer's marks, newest first."""
    return list(
        ctx.session.scalars(
            select(BuyerAbuseMark)
            .where(BuyerAbuseMark.buyer_id == buyer_id)
            .order_by(BuyerAbuseMark.marked_at.desc(), BuyerAbuseMark.id.desc())
            .limit(limit)
        )
    )


def terms_of(mark: BuyerAbuseMark) -> MarkTerms:
    return MarkTerms(
        marked_at=mark.marked_at,
        scope=mark.scope,  # type: ignore[arg-type]
        since=mark.since,
        case_ids=frozenset(int(c) for c in mark.case_ids or ()),
        shop_id=mark.shop_id,
    )


def _check_marker(actor: Actor) -> None:
    if actor.role is not Role.agent:
        raise Forbidden("actor_not_allowed", "Only a platform agent can mark a buyer's claims as abusive.")


def _buyer(ctx: Ctx, buyer_id: str) -> Buyer:
    buyer = ctx.session.get(Buyer, buyer_id)
    if buyer is None:
        raise NotFound("buyer_not_found", "No such buyer.", buyer_id=buyer_id)
    return buyer


def _record(ctx: Ctx, mark: BuyerAbuseMark, action: str, actor: Actor, reason: str, case_ids: Iterable[int]) -> None:
    now = ctx.now()
    event = AbuseMarkEvent(
        mark_id=mark.id,
        buyer_id=mark.buyer_id,
        action=action,
        actor_role=str(actor.role),
        actor_id=actor.id,
        at=now,
        reason=reason,
        case_ids=sorted(case_ids),
    )
    ctx.session.add(event)
    ctx.session.flush()
    audit.append_abuse_mark_event(ctx.session, event, now)


def _set(
    ctx: Ctx, targets: list[tuple[str, int]], *, abusive: bool, by: str | None, note: str, mark_id: int
) -> list[int]:
    """Mark or unmark the cases, each under its order's lock (order → case, in one fixed order)."""
    changed = []
    for order_id, case_id in sorted(targets):
        lock_order(ctx.session, order_id)
        case = lock_case(ctx.session, case_id)
        assert case is not None
        if abusive and case.abusive:
            continue  # marked meanwhile: an agent's own mark stays theirs
        if not abusive and (not case.abusive or case.abusive_mark_id != mark_id):
            continue
        metrics.set_abusive(ctx, case, abusive=abusive, by=by, note=note, mark_id=mark_id if abusive else None)
        changed.append(case.id)
    return changed


def mark_buyer(
    ctx: Ctx,
    buyer_id: str,
    actor: Actor,
    *,
    reason: str,
    scope: MarkScope = "all",
    since: datetime | None = None,
    case_ids: Iterable[int] = (),
    shop_id: str | None = None,
) -> BuyerAbuseMark:
    """云标签: mark the buyer's existing claims in `scope` — `all`, opened `since` a time, the listed
    `cases`, or `none` — and every claim the buyer opens while the mark stands as abusive claims,
    all narrowed to `shop_id` when given. Claims already marked stay as they are."""
    _check_marker(actor)
    session, now = ctx.session, ctx.now()
    _buyer(ctx, buyer_id)
    wanted = sorted(set(case_ids))
    if scope == "since" and since is None:
        raise Invalid("since_required", "Scope 'since' needs the time from which claims are marked.")
    if since is not None and since > now:
        raise Invalid("time_in_future", "'since' is in the future.")
    if scope == "cases" and not wanted:
        raise Invalid("case_ids_required", "Scope 'cases' needs the cases to mark.")
    if scope != "cases" and wanted:
        raise Invalid("case_ids_without_scope", "case_ids are only for scope 'cases'.")
    if shop_id is not None and session.get(Shop, shop_id) is None:
        raise NotFound("shop_not_found", "No such shop.", shop_id=shop_id)
    if wanted:
        found = set(session.scalars(select(Case.id).where(Case.buyer_id == buyer_id, Case.id.in_(wanted))))
        missing = [c for c in wanted if c not in found]
        if missing:
            raise Invalid("case_not_of_buyer", f"Not claims of this buyer: {missing}.", case_ids=missing)
    if standing_mark(ctx, buyer_id) is not None:
        raise Conflict("abuse_mark_exists", "A mark on this buyer stands already; lift it first.", buyer_id=buyer_id)
    mark = BuyerAbuseMark(
        buyer_id=buyer_id,
        shop_id=shop_id,
        scope=scope,
        since=since if scope == "since" else None,
        case_ids=wanted,
        reason=reason,
        marked_by=actor.id or str(actor.role),
        marked_at=now,
        cases_marked=0,
    )
    try:
        with session.begin_nested():
            session.add(mark)
            session.flush()
    except IntegrityError:  # another agent's mark stood first
        raise Conflict("abuse_mark_exists", "A mark on this buyer stands already; lift it first.") from None
    targets: list[tuple[str, int]] = []
    if scope != "none":
        terms = terms_of(mark)
        stmt = select(Case.id, Case.order_id, Case.shop_id, Case.opened_at).where(
            Case.buyer_id == buyer_id, Case.abusive.is_(False)
        )
        if shop_id is not None:
            stmt = stmt.where(Case.shop_id == shop_id)
        if scope == "since" and since is not None:
            stmt = stmt.where(Case.opened_at >= since)
        if scope == "cases":
            stmt = stmt.where(Case.id.in_(wanted))
        targets = [
            (order_id, case_id)
            for case_id, order_id, case_shop, opened_at in session.execute(stmt)
            if rules.mark_covers(terms, case_id=case_id, shop_id=case_shop, opened_at=opened_at)
        ]
    changed = _set(ctx, targets, abusive=True, by=mark.marked_by, note=_note(mark), mark_id=mark.id)
    mark.cases_marked = len(changed)
    _record(ctx, mark, "mark", actor, reason, changed)
    session.flush()
    events.mark_event(ctx, EventType.buyer_marked, mark, changed)
    return mark


def lift_mark(ctx: Ctx, buyer_id: str, actor: Actor, *, reason: str) -> BuyerAbuseMark:
    """Lift the buyer's standing mark: the claims it marked count in the shops' metrics again."""
    _check_marker(actor)
    session, now = ctx.session, ctx.now()
    _buyer(ctx, buyer_id)
    mark = standing_mark(ctx, buyer_id)
    if mark is None:
        raise Conflict("no_standing_mark", "No mark on this buyer stands.", buyer_id=buyer_id)
    targets = [
        (order_id, case_id)
        for case_id, order_id in session.execute(
            select(Case.id, Case.order_id).where(
                Case.buyer_id == buyer_id, Case.abusive_mark_id == mark.id, Case.abusive.is_(True)
            )
        )
    ]
    note = f"云标签 #{mark.id} lifted: {reason}"
    changed = _set(ctx, targets, abusive=False, by=actor.id, note=note, mark_id=mark.id)
    mark.lifted_at, mark.lifted_by, mark.lift_reason = now, actor.id or str(actor.role), reason
    mark.cases_unmarked = len(changed)
    _record(ctx, mark, "lift", actor, reason, changed)
    session.flush()
    events.mark_event(ctx, EventType.buyer_mark_lifted, mark, changed)
    return mark


def on_case_opened(ctx: Ctx, event: DomainEvent) -> None:
    """Reaction to `case.opened`: a claim opened while a mark on its buyer stands (and covers its
    shop) is an abusive claim from the start (in the opening unit of work, under the order's lock)."""
    assert event.case_id is not None
    case = ctx.session.get(Case, event.case_id)
    assert case is not None
    mark = standing_mark(ctx, case.buyer_id)
    if mark is None:
        return
    if not rules.mark_covers(terms_of(mark), case_id=case.id, shop_id=case.shop_id, opened_at=case.opened_at):
        return
    metrics.set_abusive(ctx, case, abusive=True, by=mark.marked_by, note=_note(mark), mark_id=mark.id)
    mark.cases_marked += 1
    _record(ctx, mark, "apply", Actor(Role.system), mark.reason, [case.id])


def _note(mark: BuyerAbuseMark) -> str:
    return f"云标签 #{mark.id}: {mark.reason}"
