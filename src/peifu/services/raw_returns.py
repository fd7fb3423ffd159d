"""The return flow's plain moves through the single door, as bare driver calls (issue 15).

`cases.act` hands the seller's agreement, the buyer's ship-return, the platform's (or courier's)
return-signed and the seller's confirm-return here first. The same locks in the same order (order → case, `batch_refunds.read_one`,
one round trip), the same access check, the same state machine row (`decide`), the same effect on
the case's columns and the same validation as `cases._agree` / `_ship_return` / `_return_signed`,
and the same rows as the ORM path writes: the case's new columns (its version moved once, as one
flush moves it), its state timers cancelled and the new state's deadline armed (as
`timers.rearm_case_deadline`), the timeline entry, the domain events (`events.case_move_events`),
the metrics row (`metrics.on_case_changed`) and the audit links (`audit.append_prepared`) — each a
`raw.Raw` statement, all in one pipeline on PostgreSQL. tests/service/test_raw_returns.py runs the
same flows both ways and compares every row.

Only a move that ends in a state that is not final and chains no system move (`row.then`) is taken
here, on a case never escalated (no dispute, no appeal) whose shop is filed for metrics. A refund
agreement of the simple shape goes to `batch_refunds.agree_one` with the same read, and a
return_and_refund's confirm-return, whose refund follows at once, is planned and written the same
way (`_confirm_one`: the confirmation's timeline entry in the agreement's place). Anything else is
handed back (None, nothing written) and `cases.act` does it the ORM way.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, update

from peifu.db import raw
from peifu.db.models import Case
from peifu.domain import compensation as compensation_rules
from peifu.domain import metrics as metric_rules
from peifu.domain.actors import SYSTEM, Actor
from peifu.domain.case_machine import deadline_for, decide
from peifu.domain.errors import Invalid
from peifu.domain.vocabulary import FINAL_CASE_STATES, CaseAction, CaseState, CaseType, Reason, Role
from peifu.services import access, audit, batch_refunds, events, raw_rows
from peifu.services.batch_refunds import Read
from peifu.services.context import Ctx
from peifu.services.inputs import AgreeIn, NoteIn, ShipmentIn, SignedIn
from peifu.services.raw_rows import CANCEL_CASE_TIMERS, CASES, INSERT_CASE_EVENT, INSERT_EVENT, UPSERT_METRIC
from peifu.services.timers import case_facts_given, moved_to

ACTIONS = frozenset({CaseAction.agree, CaseAction.ship_return, CaseAction.return_signed, CaseAction.confirm_return})

# the case's columns a move may change (written all at once: those it leaves keep their values)
MOVED = [
    "state",
    "state_entered_at",
    "proposal",
    "return_courier",
    "return_tracking_no",
    "return_shipped_at",
    "return_shipping_fee_fen",
    "return_signed_at",
]
_UPDATE_CASE = raw.Raw(
    lambda d: (
        update(CASES)
        .where(CASES.c.id == bindparam("b_id"))
        .values({name: bindparam(name) for name in (*MOVED, "version")})
    )
)


def act_one(ctx: Ctx, case_id: int, action: CaseAction, actor: Actor, body: BaseModel | None) -> dict[str, Any] | None:
    """`cases.act` for the moves above, as bare driver calls: the case's columns as written, or
    None when nothing was written and the ORM path is to do it. Refusals (access, the state
    machine, the effect's validation) raise as the ORM path raises them, before anything is written."""
    if action not in ACTIONS or not _body_fits(action, actor, body):
        return None
    session, now = ctx.session, ctx.now()
    link = raw.Link(session)
    read = batch_refunds.read_one(ctx, link, case_id)
    if read is None:
        return None  # the ORM path answers case_not_found
    case = read.case
    access.check_case(ctx, actor, case)
    if action is CaseAction.agree and case.case_type == CaseType.refund_only:
        agree_note = body.note if isinstance(body, AgreeIn) else ""
        agreed = batch_refunds.agree_one(ctx, case_id, actor, agree_note, read=read)
        if agreed is not None:
            ctx.actor = SYSTEM  # as after the ORM path's last step (the refund, the system's)
        return agreed
    if action is CaseAction.confirm_return:
        return _confirm_one(ctx, link, read, actor, getattr(body, "note", "") or "")
    if case.escalated_at is not None or read.category is None:
        return None  # a dispute or an appeal to look at, or a shop to file first: the ORM path
    policy = ctx.policies.get(session, case.policy_version)
    row = decide(case_facts_given(case, appeal_pending=False), action, actor.role, now, policy)
    if row.then is not None or row.target.is_final:
        return None
    changes, data = move_effect(action, case, body, now)
    note = getattr(body, "note", None)
    if isinstance(note, str) and note:
        data["note"] = note
    after = {**case._asdict(), **changes, "state": str(row.target)}
    if row.resets_deadline:
        after["state_entered_at"] = now
    written = _write(ctx, link, read, after, actor, action, str(row.target), data, policy, now)
    ctx.actor = actor  # as the ORM path's step leaves it
    batch_refunds.expire_written(session)
    return written


def _body_fits(action: CaseAction, actor: Actor, body: BaseModel | None) -> bool:
    if action is CaseAction.agree:
        if actor.role not in (Role.seller, Role.system):
            return False
        return body is None or (isinstance(body, AgreeIn) and not body.confirm_return_on_sign)
    if action is CaseAction.ship_return:
        return isinstance(body, ShipmentIn)
    if action is CaseAction.confirm_return:
        return actor.role in (Role.seller, Role.system) and (body is None or isinstance(body, NoteIn))
    return body is None or isinstance(body, SignedIn)


def _confirm_one(ctx: Ctx, link: raw.Link, read: Read, actor: Actor, note: str) -> dict[str, Any] | None:
    """The seller has a return_and_refund's goods back: the refund follows at once (`decide` chains
    execute_refund), planned and written as `batch_refunds.agree_one` plans and writes an agreed
    refund — the same rows, the confirmation's timeline entry in the agreement's place. None for
    any other shape (a return whose postage the refund settles, compensation to pay, an order whose
    auto-confirm timer resumes, ...): the ORM path."""
    case, now = read.case, ctx.now()
    policy = ctx.policies.get(ctx.session, case.policy_version)
    if not (
        case.state == CaseState.return_shipped
        and case.case_type == CaseType.return_and_refund
        and case.escalated_at is None
        and case.proposal is None
        and not compensation_rules.may_earn_on_refund(Reason(case.reason), policy)
    ):
        return None
    item = batch_refunds.Item(case.id, actor, note=note, action=CaseAction.confirm_return)
    plan = batch_refunds.plan_refund(ctx, item, case, read.order, read.facts(), now)
    if plan is None:
        return None
    written = batch_refunds.write_refund(ctx, link, plan, now)
    ctx.actor = SYSTEM  # as after the ORM path's last step (the refund, the system's)
    batch_refunds.expire_written(ctx.session)
    return written


def move_effect(
    action: CaseAction, case: Any, body: BaseModel | None, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case's changed columns and the timeline entry's data of a plain agreement (without
    confirm_return_on_sign), ship-return and return-signed, with their checks — the one definition
    both paths use (`cases._agree`, `_ship_return`, `_return_signed` set the columns on the Case)."""
    if action is CaseAction.agree:
        return {"proposal": None}, {}
    if action is CaseAction.ship_return:
        assert isinstance(body, ShipmentIn)
        changes = {
            "return_courier": body.courier,
            "return_tracking_no": body.tracking_no,
            "return_shipped_at": now,
            "return_shipping_fee_fen": body.shipping_fee_fen,
        }
        data = {"courier": body.courier, "tracking_no": body.tracking_no, "shipping_fee_fen": body.shipping_fee_fen}
        return changes, data
    at = body.at if isinstance(body, SignedIn) and body.at else now
    if at > now:
        raise Invalid("time_in_future", "The signed time is in the future.")
    if case.return_shipped_at and at < case.return_shipped_at:
        raise Invalid("time_before_previous_event", "The return cannot be signed before it was shipped.")
    return {"return_signed_at": at}, {"signed_at": at.isoformat()}


def _write(
    ctx: Ctx,
    link: raw.Link,
    read: Read,
    after: dict[str, Any],
    actor: Actor,
    action: CaseAction,
    target: str,
    data: dict[str, Any],
    policy: Any,
    now: datetime,
) -> dict[str, Any]:
    session = ctx.session
    case, order = read.case, read.order
    moved = SimpleNamespace(**after)
    due = deadline_for(case_facts_given(moved, appeal_pending=False), policy)
    entry = {
        "case_id": case.id,
        "seq": len(read.timeline) + 1,
        "at": now,
        "actor_role": str(actor.role),
        "actor_id": actor.id,
        "action": str(action),
        "from_state": str(case.state),
        "to_state": target,
        "data": data,
    }
    line_no = {line.id: line.line_no for line in read.lines}
    lines = [(line_no[cl.order_line_id], cl.amount_fen) for cl in read.case_lines]
    made = events.case_move_events(moved, lines, due, SimpleNamespace(**entry))
    timeline = [*read.timeline, (entry["actor_role"], entry["action"], now)]
    metric_row = {
        "case_id": case.id,
        "order_id": case.order_id,
        "shop_id": case.shop_id,
        "category": read.category or "",
        **metric_rules.case_row(
            opened_at=case.opened_at,
            resolved_at=moved.resolved_at,
            final=CaseState(target) in FINAL_CASE_STATES,
            timeline=timeline,
            paid_at=order.paid_at,
            disputed=False,  # never escalated: no dispute
            dispute_lost=False,
            abusive=bool(case.abusive),
            sibling_abusive=read.abusive_order,  # `excluded` is abusive or a sibling's: the case's own mark counts once
            post_trade=case.phase == metric_rules.POST_TRADE,
        ),
    }
    # the row is locked: its version moves once, as with the ORM path's one flush of the case
    case_row = {"b_id": case.id, **{name: after[name] for name in MOVED}, "version": case.version + 1}
    with link.pipeline():
        link.send(CANCEL_CASE_TIMERS, {"b_case_id": case.id, "outcome": moved_to(target)[:200]})
        link.send(_UPDATE_CASE, case_row)
        if due is not None:
            link.send(raw_rows.INSERT_DEADLINE, raw_rows.new_deadline_row(case.id, due, policy, now))
        link.run_many(INSERT_EVENT, [events.row_of(e) for e in made])
        link.send(INSERT_CASE_EVENT, entry)
        link.send(UPSERT_METRIC, metric_row)
    ctx.pending.extend(made)
    # the audit links, as the ORM path's commit makes them: the case's new version where a field
    # the audit covers changed, then the timeline entry
    kind = audit.BY_KIND["case"]
    if kind.record(after) != kind.record(case._asdict()):
        if case.id in session.info.get(audit.ROWS, {}).get("case", ()):
            audit.touch(session, Case, [case.id])  # an earlier flush changed it: one link, as committed
        else:
            audit.append_prepared(session, "case", str(case.id), kind.record(after), now)
    ref = f"{case.id}:{entry['seq']}"
    audit.append_prepared(session, "case_event", ref, audit.case_event_record_of(entry), now)
    return {**after, "version": case.version + 1}
