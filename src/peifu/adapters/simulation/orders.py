"""The daily flow: orders created, paid, shipped and signed for, after-sale requests opened, and the
sellers' and buyers' moves on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from peifu.adapters.simulation.cast import (
    CATEGORIES,
    COURIERS,
    DAY,
    DESCRIPTIONS,
    HOUR,
    RECEIVED_PLANS,
    RECEIVED_WEIGHTS,
    SVC_BASE,
    SVC_SLOPPY,
    BuyerProfile,
    ShopProfile,
    goods_received,
    sim_order_id,
)
from peifu.adapters.simulation.engine import SimBase
from peifu.db.models import (
    Case,
    Deadline,
    Order,
)
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    DeadlineStatus,
    OrderEventKind,
    OrderState,
    Reason,
    Role,
)
from peifu.services import cases, orders
from peifu.services.context import Ctx
from peifu.services.inputs import (
    CaseIn,
    CaseLineIn,
    ModifyIn,
    OrderEventIn,
    OrderIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    ShipmentIn,
    SignedIn,
)


class OrderFlow(SimBase):
    # --- orders -----------------------------------------------------------------------------------

    def _plan_orders(self) -> None:
        rnd = self.rnd
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.shops))]  # a few big shops, a long tail
        span = self.config.days * 86400 * 0.9
        for n in range(self.config.orders):
            shop = rnd.choices(self.shops, weights=weights)[0]
            buyer = rnd.choice(self.buyers)
            created = self.start + timedelta(seconds=int(rnd.random() * span))
            self.at(created, self._create_order(sim_order_id(self.config.seed, n), shop, buyer))

    def _create_order(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd
        sku, title, price, flags = rnd.choice(CATEGORIES[shop.category])
        quantity = 1 if price > 20000 or rnd.random() < 0.7 else rnd.randint(2, 3)
        free = rnd.random() < 0.8
        body = OrderIn.model_validate(
            {
                "id": order_id,
                "shop": {"id": shop.id, "name": shop.name, "category": shop.category, "kind": shop.kind},
                "buyer": {"id": buyer.id, "name": f"买家{buyer.id[-4:]}"},
                "lines": [
                    {
                        "sku": sku,
                        "title": title,
                        "category": shop.category,
                        "unit_price_fen": price,
                        "quantity": quantity,
                        **flags,
                    }
                ],
                "free_shipping": free,
                "shipping_fee_fen": 0 if free else 1000,
                "shipping_insurance": rnd.random() < 0.3,
                "invoice_promised": rnd.random() < 0.2,
            }
        )
        pays = rnd.random() < 0.96
        self.flags_of[order_id] = any(flags.get(f) for f in ("custom_made", "perishable", "digital"))

        def run(ctx: Ctx) -> None:
            orders.ingest_order(ctx, body)
            self.stats["orders"] += 1
            if pays:
                self.at(ctx.now() + timedelta(minutes=rnd.randint(1, 90)), self._paid(order_id, shop, buyer))
            else:
                self.at(ctx.now() + DAY, self._event(order_id, OrderEventKind.closed))

        return run

    def _event(self, order_id: str, kind: OrderEventKind, **extra: Any) -> Callable[[Ctx], None]:
        def run(ctx: Ctx) -> None:
            orders.record_event(ctx, order_id, OrderEventIn(kind=kind, **extra))

        return run

    def _paid(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
            now = ctx.now()
            if (
                self._take("out_of_stock") or rnd.random() < shop.out_of_stock
            ):  # never ships; the buyer asks for the money back
                self._open_at(now + timedelta(hours=rnd.uniform(20, 60)), order_id, buyer, shop, "out_of_stock")
                return
            forced_late = self._take("late")
            late = forced_late or rnd.random() < shop.late_ships
            ship_after = timedelta(hours=rnd.uniform(74, 120) if late else rnd.uniform(2, 48))
            self.at(now + ship_after, self._shipped(order_id, shop, buyer))
            claim = self._case_chance(buyer) * 0.25
            if late and (forced_late or rnd.random() < 0.3):
                self._open_at(now + timedelta(hours=rnd.uniform(72.5, 73.5)), order_id, buyer, shop, "late_shipment")
            elif rnd.random() < claim:
                self._open_at(now + ship_after * rnd.uniform(0.1, 0.9), order_id, buyer, shop, "before_shipment")

        return run

    def _shipped(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.paid:
                return  # refunded and closed before it shipped
            courier = rnd.choice(COURIERS)
            body = OrderEventIn(kind=OrderEventKind.shipped, courier=courier, tracking_no=f"{courier}{order_id[3:]}")
            orders.record_event(ctx, order_id, body)
            now = ctx.now()
            if self._take("lost") or rnd.random() < 0.02:  # lost by the courier
                self._open_at(now + timedelta(days=rnd.uniform(5, 8)), order_id, buyer, shop, "in_transit")
                return
            signed = now + timedelta(hours=rnd.uniform(20, 96))
            self.at(signed, self._signed(order_id, shop, buyer))

        return run

    def _signed(self, order_id: str, shop: ShopProfile, buyer: BuyerProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.shipped:
                return
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.signed))
            now = ctx.now()
            chance = self._case_chance(buyer)
            if order_id not in self.case_of and rnd.random() < chance:
                if buyer.abusive and rnd.random() < 0.3:  # "never arrived" although the courier has a signature
                    self._open_at(now + timedelta(hours=rnd.uniform(1, 12)), order_id, buyer, shop, "in_transit")
                else:
                    soon = rnd.uniform(1, 12) if buyer.abusive else rnd.uniform(6, 140)
                    self._open_at(now + timedelta(hours=soon), order_id, buyer, shop, "received")
            elif rnd.random() < 0.05:
                self._open_at(now + timedelta(days=rnd.uniform(11, 20)), order_id, buyer, shop, "post_trade")
            if rnd.random() < 0.55:  # the buyer confirms; the others are confirmed by the timer
                self.at(now + timedelta(hours=rnd.uniform(4, 96)), self._confirm(order_id, buyer, shop))
            if self.svc_rnd.random() < SVC_BASE + SVC_SLOPPY * (1 - shop.answers):  # a sloppy shop draws more
                when = now + timedelta(hours=self.svc_rnd.uniform(6, 120))
                self.at(when, self._file_service_complaint(order_id, buyer, shop))

        return run

    def _confirm(self, order_id: str, buyer: BuyerProfile, shop: ShopProfile) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            order = ctx.session.get(Order, order_id)
            if order is None or order.state != OrderState.shipped:
                return
            if orders.open_case_count(ctx.session, order_id, in_trade_only=True):
                return  # a buyer does not confirm receipt while asking for a refund
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.confirmed))
            if rnd.random() < 0.012:  # a rule complaint about a broken promise
                violation = rnd.choice(["promise_not_honoured", "invoice_refused", "promotion_terms_not_honoured"])
                self.at(ctx.now() + timedelta(days=rnd.uniform(1, 10)), self._complain(order_id, buyer, violation))

        return run

    def _take(self, what: str) -> bool:
        if self.quota[what] > 0:
            self.quota[what] -= 1
            return True
        return False

    def _case_chance(self, buyer: BuyerProfile) -> float:
        return 0.6 if buyer.abusive else 0.16

    # --- after-sale requests ----------------------------------------------------------------------

    def _open_at(self, when: datetime, order_id: str, buyer: BuyerProfile, shop: ShopProfile, stage: str) -> None:
        rnd = self.rnd
        amount: int | None = None
        covering: tuple[Reason, CaseType] | None = None
        if stage == "received" and not buyer.abusive:
            seven_day_ok = not self.flags_of.get(order_id)
            covering = next((c for c in self.to_cover if seven_day_ok or c[0] is not Reason.seven_day_no_reason), None)
            if covering is not None:
                self.to_cover.remove(covering)
        if covering is not None:
            reason, case_type = covering
        elif stage == "out_of_stock":
            case_type, reason = CaseType.refund_only, Reason.out_of_stock
        elif stage == "late_shipment":
            case_type, reason = CaseType.refund_only, Reason.late_shipment
        elif stage == "before_shipment":
            case_type = CaseType.refund_only
            reason = rnd.choices([Reason.ordered_by_mistake, Reason.no_longer_wanted, Reason.other], [3, 3, 1])[0]
        elif stage == "in_transit":
            case_type, reason = CaseType.refund_only, Reason.not_received
        else:
            if stage == "post_trade":
                reason = rnd.choice([Reason.quality_problem, Reason.damaged, Reason.not_as_described])
            elif buyer.abusive:
                reason = rnd.choices(
                    [Reason.counterfeit, Reason.quality_problem, Reason.not_as_described, Reason.seven_day_no_reason],
                    [4, 3, 2, 1],
                )[0]
            else:
                reasons = list(RECEIVED_WEIGHTS)
                reason = rnd.choices(reasons, [RECEIVED_WEIGHTS[r] for r in reasons])[0]
            plans = RECEIVED_PLANS[reason]
            case_type = rnd.choices([t for t, _ in plans], [w for _, w in plans])[0]
            if buyer.abusive and case_type is not CaseType.partial_refund and rnd.random() < 0.5:
                case_type = CaseType.refund_only  # money, and keep the goods
                if reason is Reason.seven_day_no_reason:
                    reason = Reason.not_as_described
        share = rnd.uniform(0.1, 0.4)

        def run(ctx: Ctx) -> None:
            if order_id in self.case_of:
                return
            order = ctx.session.get(Order, order_id)
            assert order is not None
            nonlocal amount
            if case_type is CaseType.partial_refund:
                amount = max(100, int(order.lines[0].paid_fen * share))
            body = CaseIn(
                order_id=order_id,
                lines=[CaseLineIn(line_no=1, refund_amount_fen=amount)],
                case_type=case_type,
                reason=reason,
                description=DESCRIPTIONS[reason],
            )
            try:
                case = cases.open_case(ctx, body, Actor(Role.buyer, buyer.id))
            except DomainError:
                if covering is not None:
                    self.to_cover.append(covering)
                raise
            self.case_of[order_id] = case.id
            self.buyer_of_case[case.id] = buyer
            self.shop_of_case[case.id] = shop
            self.stats["cases"] += 1
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(1, 80)), case.id)
            if reason in (Reason.not_as_described, Reason.invoice_problem) and rnd.random() < 0.25:
                violation = "invoice_refused" if reason is Reason.invoice_problem else "mismatch_minor"
                if reason is Reason.not_as_described:
                    violation = rnd.choice(["severe_mismatch", "mismatch_affecting_use", "mismatch_minor"])
                later = ctx.now() + timedelta(days=rnd.uniform(0.5, 5))
                self.at(later, self._complain(order_id, buyer, violation, case.id))

        self.at(when, run)

    def _poll_at(self, when: datetime, case_id: int) -> None:
        self.at(when, lambda ctx: self._poll(ctx, case_id))

    def _after_timer(self, ctx: Ctx, case_id: int) -> None:
        """The party stays silent: look again just after the case's timer has acted."""
        due = ctx.session.scalar(
            select(func.min(Deadline.due_at)).where(
                Deadline.case_id == case_id, Deadline.status == DeadlineStatus.pending
            )
        )
        when = (due.replace(tzinfo=due.tzinfo or UTC) if due else ctx.now() + 2 * DAY) + timedelta(minutes=5)
        self._poll_at(when, case_id)

    def _poll(self, ctx: Ctx, case_id: int) -> None:
        """Whoever's move it is on the case makes it (or stays silent), and the next look is planned."""
        rnd = self.rnd
        self.polls[case_id] += 1
        if self.polls[case_id] > 40:
            return
        case = ctx.session.get(Case, case_id)
        assert case is not None
        state = CaseState(case.state)
        if state.is_final:
            return
        buyer, shop = self.buyer_of_case[case_id], self.shop_of_case[case_id]
        as_buyer, as_seller = Actor(Role.buyer, buyer.id), Actor(Role.seller, shop.id)
        now = ctx.now()

        def soon(low: float, high: float) -> None:
            self._poll_at(now + timedelta(hours=rnd.uniform(low, high)), case_id)

        def act(action: CaseAction, actor: Actor, body: Any = None) -> None:
            cases.act(ctx, case_id, action, actor, body)
            self.stats[f"action:{action}"] += 1

        if state is CaseState.requested:
            if rnd.random() > shop.answers:
                self.stats["seller_silent"] += 1
                self._after_timer(ctx, case_id)
                return
            roll = rnd.random()
            refuses = shop.refuses * (2.5 if buyer.abusive else 1)
            if roll < refuses:
                act(CaseAction.refuse, as_seller, RefuseIn(reason="商品出库前已质检，不支持该申请"))
            elif roll < refuses + shop.proposes and case.refund_amount_fen > 200:
                offer = max(100, case.refund_amount_fen // 2)
                act(
                    CaseAction.propose,
                    as_seller,
                    ProposeIn(
                        refund_amount_fen=offer, case_type=CaseType.partial_refund, note="补偿部分金额，不用退货"
                    ),
                )
            else:
                act(CaseAction.agree, as_seller)
            soon(2, 60)
        elif state in (CaseState.refused, CaseState.proposed, CaseState.return_rejected):
            roll = rnd.random()
            if state is CaseState.proposed and roll < 0.6:
                act(CaseAction.accept_proposal, as_buyer)
            elif state is not CaseState.return_rejected and roll < (0.85 if buyer.abusive else 0.72):
                # 拒绝后改理由再申请: switch the reason (abusive buyers do it most) or just ask again
                switched = any(e.action == CaseAction.modify for e in case.events)
                if state is CaseState.refused and not switched and (buyer.abusive or rnd.random() < 0.3):
                    act(CaseAction.modify, as_buyer, ModifyIn(reason=self._switched_reason(case)))
                else:
                    self._escalate(ctx, case, as_buyer)
            elif roll < 0.88:
                self._escalate(ctx, case, as_buyer)
            elif roll < 0.94:
                act(CaseAction.withdraw, as_buyer)
            else:
                self._after_timer(ctx, case_id)
                return
            soon(2, 48)
        elif state is CaseState.awaiting_return:
            if rnd.random() < 0.9:
                courier = rnd.choice(COURIERS)
                ship = ShipmentIn(courier=courier, tracking_no=f"R{courier}{case_id:08d}", shipping_fee_fen=1200)
                act(CaseAction.ship_return, as_buyer, ship)
                self._poll_at(now + timedelta(hours=rnd.uniform(24, 72)), case_id)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.return_shipped:
            if case.return_signed_at is None:
                act(CaseAction.return_signed, Actor(Role.courier), SignedIn())
                soon(4, 72)
                return
            roll = rnd.random()
            if roll < shop.answers * 0.85:
                act(CaseAction.confirm_return, as_seller)
                soon(24, 96)
            elif roll < shop.answers:
                act(CaseAction.reject_return, as_seller, RejectReturnIn(reason="退回商品有明显使用痕迹"))
                soon(2, 48)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.awaiting_replacement:
            if rnd.random() < shop.ships_replacement:
                courier = rnd.choice(COURIERS)
                act(CaseAction.ship_replacement, as_seller, ShipmentIn(courier=courier, tracking_no=f"X{case_id:09d}"))
                soon(30, 120)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.replacement_shipped:
            if rnd.random() < 0.6:
                act(CaseAction.confirm_replacement, as_buyer)
            else:
                self._after_timer(ctx, case_id)
        elif state is CaseState.in_intervention:
            self._dispute_steps(ctx, case)
        else:  # refunding never outlives its unit of work
            self.stats[f"unexpected_state:{state}"] += 1

    def _switched_reason(self, case: Case) -> Reason:
        current = Reason(case.reason)
        if not goods_received(case):
            return Reason.no_longer_wanted if current is not Reason.no_longer_wanted else Reason.other
        options = [r for r in (Reason.not_as_described, Reason.quality_problem, Reason.damaged) if r is not current]
        return self.rnd.choice(options)

    def _escalate(self, ctx: Ctx, case: Case, actor: Actor) -> None:
        try:
            with ctx.session.begin_nested():
                cases.act(ctx, case.id, CaseAction.escalate, actor)
            self.stats["action:escalate"] += 1
        except DomainError as exc:  # too early: the wait after opening has not passed; try again then
            self.stats[f"refused:{exc.code}"] += 1
            opens = case.opened_at.replace(tzinfo=case.opened_at.tzinfo or UTC)
            opens_at = opens + ctx.policies.current.escalation_wait + timedelta(minutes=10)
            self._poll_at(max(opens_at, ctx.now() + HOUR), case.id)
            self.polls[case.id] -= 1
