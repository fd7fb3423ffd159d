"""Seller auto-handling rules and bulk answers: the shop's after-sale team at scale.

* `on_request` — the reaction to `case.opened` / `case.modified` (services.reactions), in the
  unit of work where a request is opened (or modified by the buyer): the shop's first matching enabled rule answers it through `cases.act`,
  as the shop, with a note naming the rule. A rule whose move the state machine or the policy
  refuses for this request (e.g. a suggested reason the order is not eligible for) is skipped
  inside a savepoint: the request simply waits for a person, and nothing of the attempt is kept.
* rule management for the shop's staff (and platform admins): list, create, change, delete.
* `bulk_agree` — the seller agrees to many chosen requests at once (大促极速退款); each request is its
  own decision in its own savepoint, and the answer says per request what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peifu.db.models import Case, Order, SellerAutoRule, Shop
from peifu.domain import auto_handling as rules
from peifu.domain.actors import Actor
from peifu.domain.errors import Conflict, DomainError, Forbidden, NotFound
from peifu.domain.events import DomainEvent
from peifu.domain.vocabulary import CaseAction, CaseState, CaseType, Reason, Role
from peifu.services import audit, batch_refunds, cases, events
from peifu.services.context import Ctx, Units
from peifu.services.inputs import AgreeIn, AutoRuleIn, AutoRulePatchIn, ProposeIn

log = logging.getLogger(__name__)


# --- who may manage a shop's rules ------------------------------------------------------------------


def check_manager(ctx: Ctx, actor: Actor, shop_id: str) -> Shop:
    """The shop's own staff (or its shop-scoped API key) and platform admins. Another shop's staff
    get the same 404 as for a shop that does not exist; other roles a 403."""
    if not actor.admin and actor.role is not Role.seller:
        raise Forbidden("actor_not_allowed", "A shop's auto-handling rules are for its staff and platform admins.")
    if actor.role is Role.seller and actor.id != shop_id:
        raise NotFound("shop_not_found", "No such shop.")
    shop = ctx.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("shop_not_found", "No such shop.")
    return shop


def check_staff(ctx: Ctx, actor: Actor, shop_id: str) -> Shop:
    """Answering requests is the shop's own staff's (the state machine lets no one else agree)."""
    if actor.role is not Role.seller:
        raise Forbidden("actor_not_allowed", "Only the shop's staff answer its requests.")
    if actor.id != shop_id:
        raise NotFound("shop_not_found", "No such shop.")
    shop = ctx.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("shop_not_found", "No such shop.")
    return shop


# --- rows <-> rules ---------------------------------------------------------------------------------


def to_rule(row: SellerAutoRule) -> rules.Rule:
    return rules.Rule(
        id=row.id or 0,
        name=row.name,
        priority=row.priority,
        action=rules.RuleAction(row.action),
        conditions=rules.Conditions(
            case_types=frozenset(CaseType(t) for t in row.case_types or ()),
            reasons=frozenset(Reason(r) for r in row.reasons or ()),
            order_stages=frozenset(rules.OrderStage(s) for s in row.order_stages or ()),
            max_amount_fen=row.max_amount_fen,
        ),
        suggested_reason=Reason(row.suggested_reason) if row.suggested_reason else None,
        message=row.message or "",
        enabled=bool(row.enabled),
    )


def _sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted({str(v) for v in values})


def shop_rules(session: Session, shop_id: str, *, enabled_only: bool = False) -> list[SellerAutoRule]:
    stmt = select(SellerAutoRule).where(SellerAutoRule.shop_id == shop_id)
    if enabled_only:
        stmt = stmt.where(SellerAutoRule.enabled.is_(True))
    return list(session.scalars(stmt.order_by(SellerAutoRule.priority, SellerAutoRule.id)))


def list_rules(ctx: Ctx, actor: Actor, shop_id: str) -> list[SellerAutoRule]:
    check_manager(ctx, actor, shop_id)
    return shop_rules(ctx.session, shop_id)


def get_rule(ctx: Ctx, actor: Actor, shop_id: str, rule_id: int) -> SellerAutoRule:
    check_manager(ctx, actor, shop_id)
    row = ctx.session.get(SellerAutoRule, rule_id)
    if row is None or row.shop_id != shop_id:
        raise NotFound("rule_not_found", f"The shop has no rule {rule_id}.", rule_id=rule_id)
    return row


def create_rule(ctx: Ctx, actor: Actor, shop_id: str, body: AutoRuleIn) -> SellerAutoRule:
    check_manager(ctx, actor, shop_id)
    session, now = ctx.session, ctx.now()
    count = len(shop_rules(session, shop_id))
    if count >= rules.MAX_RULES_PER_SHOP:
        raise Conflict("too_many_rules", f"A shop keeps at most {rules.MAX_RULES_PER_SHOP} rules; delete one first.")
    row = SellerAutoRule(
        shop_id=shop_id,
        name=body.name,
        priority=body.priority,
        enabled=body.enabled,
        case_types=_sorted_unique(body.case_types),
        reasons=_sorted_unique(body.reasons),
        order_stages=_sorted_unique(body.order_stages),
        max_amount_fen=body.max_amount_fen,
        action=body.action,
        suggested_reason=str(body.suggested_reason) if body.suggested_reason else None,
        message=body.message,
        created_at=now,
        created_by=actor.user or actor.id,
        updated_at=now,
        updated_by=actor.user or actor.id,
        applied_count=0,
    )
    rules.validate(to_rule(row))
    session.add(row)
    session.flush()
    return row


def update_rule(ctx: Ctx, actor: Actor, shop_id: str, rule_id: int, body: AutoRulePatchIn) -> SellerAutoRule:
    row = get_rule(ctx, actor, shop_id, rule_id)
    changes: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in ("case_types", "reasons", "order_stages"):
            value = _sorted_unique(value or [])
        elif name == "suggested_reason":
            value = str(value) if value else None
        elif name in ("name", "priority", "enabled", "action", "message") and value is None:
            continue  # null for a required field means "unchanged"
        changes[name] = value
    merged = SellerAutoRule(**({c: getattr(row, c) for c in _COLUMNS} | changes))
    merged.id = row.id
    rules.validate(to_rule(merged))  # the rule as it would be, before anything is changed
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = ctx.now()
    row.updated_by = actor.user or actor.id
    ctx.session.flush()
    return row


_COLUMNS = (
    "shop_id",
    "name",
    "priority",
    "enabled",
    "case_types",
    "reasons",
    "order_stages",
    "max_amount_fen",
    "action",
    "suggested_reason",
    "message",
)


def delete_rule(ctx: Ctx, actor: Actor, shop_id: str, rule_id: int) -> None:
    """Requests it answered keep its name and number in their timelines."""
    row = get_rule(ctx, actor, shop_id, rule_id)
    ctx.session.delete(row)
    ctx.session.flush()


# --- applying the rules -----------------------------------------------------------------------------


def request_of(case: Case, order: Order) -> rules.Request:
    return rules.Request(
        case_type=CaseType(case.case_type),
        reason=Reason(case.reason),
        amount_fen=case.refund_amount_fen,
        order_stage=rules.order_stage(
            order.state, signed_at=order.signed_at, refused_delivery_at=order.refused_delivery_at
        ),
        marked_abusive=bool(case.abusive),
    )


def explain_case(ctx: Ctx, actor: Actor, case_id: int) -> list[rules.Check]:
    """For the shop's staff (and admins): how each of the shop's rules judges this request as it
    stands now, in the order they are tried. What a rule did when the request arrived is in the
    case's timeline, under the rule's name."""
    checks, _ = explain(ctx, actor, case_id)
    return checks


def explain(ctx: Ctx, actor: Actor, case_id: int) -> tuple[list[rules.Check], rules.Request]:
    if not actor.admin and actor.role is not Role.seller:
        raise Forbidden("actor_not_allowed", "A shop's auto-handling rules are for its staff and platform admins.")
    case = cases.get_case(ctx, case_id, actor)
    order = ctx.session.get(Order, case.order_id)
    assert order is not None
    request = request_of(case, order)
    return rules.explain([to_rule(r) for r in shop_rules(ctx.session, case.shop_id)], request), request


def rule_actor(shop_id: str, rule: rules.Rule) -> Actor:
    return Actor(Role.seller, shop_id, user=f"auto-rule:{rule.id}")


def on_request(ctx: Ctx, event: DomainEvent) -> None:
    """Reaction to `case.opened` and `case.modified`: the request (new, or changed by the buyer)
    meets the shop's auto-handling rules, in the unit of work where it arrived."""
    assert event.case_id is not None
    case = ctx.session.get(Case, event.case_id)
    assert case is not None
    order = ctx.session.get(Order, case.order_id)
    assert order is not None
    answer(ctx, case, order)


def answer(ctx: Ctx, case: Case, order: Order) -> CaseAction | None:
    """Answer a request with the shop's first matching rule, if any; the move it made."""
    if case.state != CaseState.requested:
        return None
    session = ctx.session
    rows = shop_rules(session, case.shop_id, enabled_only=True)
    if not rows:
        return None
    by_id = {row.id: row for row in rows}
    rule = rules.first_match([to_rule(row) for row in rows], request_of(case, order))
    if rule is None:
        return None
    move = rules.move_for(rule)
    note = rules.note_for(rule)
    body: AgreeIn | ProposeIn
    if move.action is CaseAction.propose:
        body = ProposeIn(reason=move.proposed_reason, note=note)
    else:
        body = AgreeIn(note=note, confirm_return_on_sign=move.confirm_return_on_sign)
    acting = ctx.actor
    try:
        with events.savepoint(ctx):
            cases.act(ctx, case.id, move.action, rule_actor(case.shop_id, rule), body)
    except DomainError as exc:
        log.info("auto-rule %s did not apply to case %s: %s (%s)", rule.id, case.id, exc.code, exc.message)
        return None
    finally:
        ctx.actor = acting
    row = by_id[rule.id]
    # counted in SQL, so two requests answered at once by the same rule both count
    row.applied_count = SellerAutoRule.applied_count + 1
    row.last_applied_at = ctx.now()
    return move.action


# --- bulk agree -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkOutcome:
    case_id: int
    ok: bool
    state: str | None = None  # the case's state afterwards, when it is the shop's
    code: str | None = None  # why it was refused
    message: str | None = None


AGREEABLE = frozenset({CaseState.requested, CaseState.proposed, CaseState.refused, CaseState.in_intervention})


def bulk_agree(ctx: Ctx, actor: Actor, shop_id: str, case_ids: Sequence[int], note: str = "") -> list[BulkOutcome]:
    """Agree to each chosen request of the shop, each on its own: one refused never stops the others.

    One query sorts out ids that are not the shop's (answered `case_not_found`, as for ids that do
    not exist) or not awaiting an answer, before any row is locked; the rest go through `cases.act`
    one by one, each in a savepoint.
    """
    check_staff(ctx, actor, shop_id)
    session = ctx.session
    wanted = list(dict.fromkeys(case_ids))
    known: dict[int, str] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        stmt = select(Case.id, Case.state).where(Case.id.in_(chunk), Case.shop_id == shop_id)
        known.update({cid: state for cid, state in session.execute(stmt)})
    body = AgreeIn(note=note)
    outcomes: dict[int, BulkOutcome] = {}
    agreeable = []
    for case_id in wanted:
        state = known.get(case_id)
        if state is None:
            outcomes[case_id] = BulkOutcome(case_id, False, None, "case_not_found", "No such case.")
        elif CaseState(state) not in AGREEABLE:
            message = f"'agree' is not possible while '{state}'."
            outcomes[case_id] = BulkOutcome(case_id, False, state, "action_not_allowed", message)
        else:
            agreeable.append(case_id)
    for case_id, outcome in _agree_simple(ctx, actor, agreeable, note).items():
        outcomes[case_id] = BulkOutcome(case_id, True, outcome)
    for case_id in agreeable:
        if case_id in outcomes:
            continue
        try:
            with events.savepoint(ctx):
                case = cases.act(ctx, case_id, CaseAction.agree, actor, body)
        except DomainError as exc:
            outcomes[case_id] = BulkOutcome(case_id, False, known[case_id], exc.code, exc.message)
            continue
        outcomes[case_id] = BulkOutcome(case_id, True, case.state)
    return [outcomes[case_id] for case_id in wanted]


def _agree_simple(ctx: Ctx, actor: Actor, case_ids: list[int], note: str) -> dict[int, str]:
    """The simple refund_only requests among them, agreed together (services.batch_refunds):
    case id → state afterwards. If the batch fails, none is agreed and each goes through
    `cases.act` on its own."""
    if not case_ids:
        return {}
    session = ctx.session
    mark = audit.prepared_mark(session)
    try:
        with events.savepoint(ctx):
            result = batch_refunds.agree_all(ctx, [batch_refunds.Item(cid, actor, note=note) for cid in case_ids])
    except Exception:
        audit.forget_prepared_since(session, mark)
        log.exception("bulk agree of %d requests as one batch failed; agreeing one by one", len(case_ids))
        return {}
    return result.done


def bulk_agree_in_batches(
    units: Units, actor: Actor, shop_id: str, case_ids: Sequence[int], *, batch: int = 200
) -> list[BulkOutcome]:
    """The same for very many requests (a promotion's fast refunds): one transaction per batch, so
    locks are short and a failure loses at most one batch's work, which a retry redoes."""
    outcomes: list[BulkOutcome] = []
    for start in range(0, len(case_ids), batch):
        with units.uow() as ctx:
            outcomes += bulk_agree(ctx, actor, shop_id, case_ids[start : start + batch])
    return outcomes
