"""Rule complaints (规则投诉) and service complaints (售后投诉): filed, decided, handled in time or missed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from peifu.adapters.simulation.cast import (
    AGENTS,
    SVC_CHANNELS,
    SVC_REMEDIES,
    SVC_TEXTS,
    BuyerProfile,
    ShopProfile,
    as_utc,
)
from peifu.adapters.simulation.engine import SimBase
from peifu.db.models import (
    ServiceComplaint,
    ServiceComplaintMiss,
)
from peifu.domain.actors import Actor
from peifu.domain.service_complaints import State as SvcState
from peifu.domain.vocabulary import (
    Role,
)
from peifu.services import complaints, service_complaints
from peifu.services.context import Ctx
from peifu.services.inputs import (
    ComplaintDecisionIn,
    ComplaintIn,
    ServiceComplaintActIn,
    ServiceComplaintIn,
)


class ComplaintFlow(SimBase):
    # --- rule complaints --------------------------------------------------------------------------

    def _complain(
        self, order_id: str, buyer: BuyerProfile, violation: str, case_id: int | None = None
    ) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            body = ComplaintIn(order_id=order_id, violation=violation, description="卖家未履行承诺", case_id=case_id)
            complaint = complaints.file(ctx, Actor(Role.buyer, buyer.id), body)
            self.stats["complaints"] += 1
            self.at(ctx.now() + timedelta(days=rnd.uniform(1, 3)), self._decide_complaint(complaint.id))

        return run

    def _decide_complaint(self, complaint_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            upheld = rnd.random() < 0.6
            body = ComplaintDecisionIn(upheld=upheld, reasoning="核实后作出处理" if upheld else "证据不足，不予支持")
            complaints.decide(ctx, complaint_id, Actor(Role.agent, rnd.choice(AGENTS)), body)
            self.stats["complaints_upheld" if upheld else "complaints_rejected"] += 1

        return run

    # --- service complaints (售后投诉) ------------------------------------------------------------

    def _file_service_complaint(self, order_id: str, buyer: BuyerProfile, shop: ShopProfile) -> Callable[[Ctx], None]:
        rnd = self.svc_rnd

        def run(ctx: Ctx) -> None:
            channel = rnd.choices(SVC_CHANNELS, weights=[5, 1, 3, 3, 1])[0]
            body = ServiceComplaintIn(order_id=order_id, channel=channel, description=rnd.choice(SVC_TEXTS))
            complaint = service_complaints.file(ctx, Actor(Role.buyer, buyer.id), body)
            self.stats["service_complaints"] += 1
            self.svc_shop[complaint.id], self.svc_buyer[complaint.id] = shop, buyer
            if rnd.random() < 0.95:  # the platform answers in time; now and then the 24 h timer does
                self._svc_poll_at(ctx.now() + timedelta(hours=rnd.uniform(0.5, 20)), complaint.id)
            else:
                self._svc_after_deadline(ctx, complaint)

        return run

    def _svc_poll_at(self, when: datetime, complaint_id: int) -> None:
        self.at(when, lambda ctx: self._svc_poll(ctx, complaint_id))

    def _svc_after_deadline(self, ctx: Ctx, complaint: ServiceComplaint) -> None:
        """Nobody acts in time: look again a while after the deadline has acted."""
        due = service_complaints.deadline_of(complaint, service_complaints.policy_of(ctx, complaint))
        if due is not None:
            self._svc_poll_at(as_utc(due[1]) + timedelta(hours=self.svc_rnd.uniform(1, 20)), complaint.id)

    def _svc_in_time(self, ctx: Ctx, complaint: ServiceComplaint) -> datetime:
        """A moment comfortably before the current step's deadline."""
        now = ctx.now()
        due = service_complaints.deadline_of(complaint, service_complaints.policy_of(ctx, complaint))
        if due is None:
            return now + timedelta(hours=self.svc_rnd.uniform(1, 8))
        return now + (as_utc(due[1]) - now) * self.svc_rnd.uniform(0.05, 0.6)

    def _svc_poll(self, ctx: Ctx, complaint_id: int) -> None:
        """Whoever the complaint waits on takes their step — the shop mostly in time, by its diligence."""
        rnd = self.svc_rnd
        complaint = ctx.session.get(ServiceComplaint, complaint_id)
        if complaint is None:
            return
        state, shop, buyer = SvcState(complaint.state), self.svc_shop[complaint_id], self.svc_buyer[complaint_id]
        agent, seller = Actor(Role.agent, rnd.choice(AGENTS)), Actor(Role.seller, shop.id)
        diligent = rnd.random() < 0.55 + 0.45 * shop.answers  # a sloppy shop misses more steps

        def act(actor: Actor, action: str, **body: Any) -> None:
            service_complaints.act(ctx, complaint_id, actor, ServiceComplaintActIn(action=action, **body))

        def later(low: float, high: float) -> None:
            self._svc_poll_at(ctx.now() + timedelta(hours=rnd.uniform(low, high)), complaint_id)

        if state is SvcState.filed:
            if rnd.random() < 0.04:  # not a service complaint at all
                act(agent, "dismiss", note="经核实不属于售后投诉范围")
                return
            act(agent, "register", category=complaint.suggested_category or "service")
            later(1, 30)
        elif state is SvcState.registered:
            act(agent, "forward")
            self._svc_poll_at(self._svc_in_time(ctx, complaint), complaint_id)
        elif state in (SvcState.forwarded, SvcState.contacted) and not diligent:
            self._svc_after_deadline(ctx, complaint)  # the shop lets it slide: a miss, an agent
        elif state is SvcState.forwarded:
            act(seller, "contact", note="已联系买家并致歉")
            self._svc_poll_at(self._svc_in_time(ctx, complaint), complaint_id)
        elif state is SvcState.contacted:
            promised = ctx.now() + timedelta(hours=rnd.uniform(12, 72))
            act(seller, "propose_remedy", remedy=rnd.choice(SVC_REMEDIES), promised_by=promised)
            if rnd.random() < 0.55 + 0.45 * shop.answers:  # and carries it out by the time it promised
                self._svc_poll_at(ctx.now() + (promised - ctx.now()) * rnd.uniform(0.2, 0.9), complaint_id)
            else:
                self._svc_after_deadline(ctx, complaint)
        elif state is SvcState.remedy_proposed:
            act(seller, "report_done", result="已按方案处理完毕")
            later(2, 48)
        elif state is SvcState.escalated:
            act(agent, "resolve", note="小二介入协调，已督促卖家处理")
            later(2, 48)
        elif state is SvcState.awaiting_rating and rnd.random() < 0.75:  # the others never rate
            missed = ctx.session.scalar(
                select(func.count(ServiceComplaintMiss.id)).where(ServiceComplaintMiss.complaint_id == complaint_id)
            )
            rating = rnd.choice([1, 2, 3, 3, 4]) if missed else rnd.choice([3, 4, 4, 5, 5, 5])
            act(Actor(Role.buyer, buyer.id), "rate", rating=rating)
            self.stats["service_complaints_rated"] += 1
