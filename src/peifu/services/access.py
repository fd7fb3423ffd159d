"""Object-level access: who may see or touch which order, case and dispute.

A buyer sees only their own, seller staff only their shop's, an agent only what is in
intervention (a case with a dispute, an order with a disputed case or a rule complaint), and the
platform (its integration key, an admin, the engine) everything. Strangers get a 404, never a
403, so that ids cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import select

from peifu.db.models import Case, Complaint, Dispute, Order
from peifu.domain.actors import Actor, check_party, is_platform
from peifu.domain.errors import NotFound
from peifu.domain.vocabulary import Role
from peifu.services.context import Ctx


def _case_in_intervention(ctx: Ctx, case_id: int) -> bool:
    return ctx.session.scalars(select(Dispute.id).where(Dispute.case_id == case_id)).first() is not None


def _order_in_intervention(ctx: Ctx, order_id: str) -> bool:
    disputed = select(Dispute.id).join(Case, Case.id == Dispute.case_id).where(Case.order_id == order_id)
    if ctx.session.scalars(disputed).first() is not None:
        return True
    return ctx.session.scalars(select(Complaint.id).where(Complaint.order_id == order_id)).first() is not None


def check_case(ctx: Ctx, actor: Actor, case: Case) -> None:
    if is_platform(actor):
        return
    check_party(actor, buyer_id=case.buyer_id, shop_id=case.shop_id, what="case")
    if actor.role is Role.agent and not _case_in_intervention(ctx, case.id):
        raise NotFound("case_not_found", "No such case.")


def check_order(ctx: Ctx, actor: Actor, order: Order) -> None:
    if is_platform(actor):
        return
    check_party(actor, buyer_id=order.buyer_id, shop_id=order.shop_id, what="order")
    if actor.role is Role.agent and not _order_in_intervention(ctx, order.id):
        raise NotFound("order_not_found", "No such order.")
    if actor.role is Role.courier:
        raise NotFound("order_not_found", "No such order.")
