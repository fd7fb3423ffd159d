"""The simulator's clock and loop: planned steps in time order, every deadline fired at its due time
through the deadline worker, each step in its own unit of work (a refusal counted, not fatal)."""

from __future__ import annotations

import heapq
import itertools
import random
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.adapters.simulation.cast import (
    DAY,
    RECEIVED_PLANS,
    BuyerProfile,
    ShopProfile,
    SimConfig,
    make_buyers,
    make_shops,
)
from peifu.adapters.simulation.summary import Summary, summarise
from peifu.db.engine import unit_of_work
from peifu.db.models import (
    Case,
    Deadline,
)
from peifu.domain.clock import ManualClock
from peifu.domain.errors import DomainError
from peifu.domain.vocabulary import (
    CaseType,
    DeadlineStatus,
    Reason,
)
from peifu.services import deadlines
from peifu.services.context import Ctx, Wiring


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[Ctx], None] = field(compare=False)


class SimBase(ABC):
    """The state of one run and its loop; the flows (`orders`, `disputes`, `complaints`) add the steps."""

    def __init__(self, rt: Runtime, config: SimConfig, *, on_day: Callable[[int], None] | None = None) -> None:
        self.rt = rt
        self.config = config
        self.rnd = random.Random(config.seed)
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = config.start or today - timedelta(days=config.days)
        self.end = self.start + timedelta(days=config.days)
        self.clock = ManualClock(self.start)
        self.units = Wiring(rt.factory, self.clock, rt.policies, rt.reactions)
        self.on_day = on_day
        self.queue: list[Step] = []
        self.seq = itertools.count()
        self.stats: Counter[str] = Counter()
        self.shops = self._make_shops()
        self.buyers = self._make_buyers()
        self.case_of: dict[str, int] = {}  # order id → its case
        self.buyer_of_case: dict[int, BuyerProfile] = {}
        self.shop_of_case: dict[int, ShopProfile] = {}
        self.polls: Counter[int] = Counter()
        self.flags_of: dict[str, bool] = {}  # order id → its goods are custom-made, perishable or digital
        # Rare paths forced early in the run, so that even a small run meets every type and reason.
        self.quota: Counter[str] = Counter({"out_of_stock": 2, "late": 2, "lost": 2})
        self.to_cover: list[tuple[Reason, CaseType]] = [(r, t) for r, plans in RECEIVED_PLANS.items() for t, _ in plans]
        self.next_due: datetime | None = None
        # Service complaints draw from their own stream, so that adding them left the rest of a
        # seed's marketplace as it was.
        self.svc_rnd = random.Random(config.seed * 1_000_003 + 19)
        self.svc_shop: dict[int, ShopProfile] = {}
        self.svc_buyer: dict[int, BuyerProfile] = {}

    # --- the cast ---------------------------------------------------------------------------------

    def _make_shops(self) -> list[ShopProfile]:
        return make_shops(self.rnd, self.config)

    def _make_buyers(self) -> list[BuyerProfile]:
        return make_buyers(self.rnd, self.config)

    # --- the loop ---------------------------------------------------------------------------------

    def at(self, when: datetime, run: Callable[[Ctx], None]) -> None:
        heapq.heappush(self.queue, Step(max(when, self.clock.now()), next(self.seq), run))

    def run(self) -> Summary:
        self._plan_orders()
        day = 0
        while self.queue:
            step = heapq.heappop(self.queue)
            if step.at >= self.end:
                break
            self._fire_deadlines_until(step.at)
            while self.on_day is not None and step.at >= self.start + (day + 1) * DAY:
                day += 1
                self.on_day(day)
            self.clock.set(max(step.at, self.clock.now()))
            self._do(step.run)
        self._fire_deadlines_until(self.end)
        self.clock.set(max(self.end, self.clock.now()))
        while self.on_day is not None and day < self.config.days:
            day += 1
            self.on_day(day)
        return self.summary()

    def _do(self, run: Callable[[Ctx], None]) -> None:
        self.stats["steps"] += 1
        try:
            with self.units.uow() as ctx:
                run(ctx)
        except DomainError as exc:
            self.stats[f"refused:{exc.code}"] += 1
        self.next_due = None  # the step may have armed or cancelled timers

    def _fire_deadlines_until(self, until: datetime) -> None:
        while True:
            if self.next_due is None:
                with unit_of_work(self.rt.factory) as session:
                    self.next_due = session.scalar(
                        select(func.min(Deadline.due_at)).where(Deadline.status == DeadlineStatus.pending)
                    )
                if self.next_due is None:
                    return
            due = self.next_due if self.next_due.tzinfo else self.next_due.replace(tzinfo=UTC)
            if due > until:
                return
            self.clock.set(max(due, self.clock.now()))
            report = deadlines.run_due(self.units, owner="simulator", batch=500)
            for outcome in report.outcomes:
                self.stats["deadline:" + _outcome_kind(outcome)] += 1
            self.stats["deadlines_failed"] += report.failed
            self.next_due = None

    # --- steps the flows carry out -----------------------------------------------------------------

    @abstractmethod
    def _complain(
        self, order_id: str, buyer: BuyerProfile, violation: str, case_id: int | None = None
    ) -> Callable[[Ctx], None]:
        """Carried out by the flow in complaints.py (a mixin of `Simulator`)."""

    @abstractmethod
    def _dispute_steps(self, ctx: Ctx, case: Case) -> None:
        """Carried out by the flow in disputes.py (a mixin of `Simulator`)."""

    @abstractmethod
    def _file_service_complaint(self, order_id: str, buyer: BuyerProfile, shop: ShopProfile) -> Callable[[Ctx], None]:
        """Carried out by the flow in complaints.py (a mixin of `Simulator`)."""

    @abstractmethod
    def _plan_orders(self) -> None:
        """Carried out by the flow in orders.py (a mixin of `Simulator`)."""

    @abstractmethod
    def _poll_at(self, when: datetime, case_id: int) -> None:
        """Carried out by the flow in orders.py (a mixin of `Simulator`)."""

    # --- the summary ------------------------------------------------------------------------------

    def summary(self) -> Summary:
        return summarise(self.rt, self.config, self.start, self.end, self.stats)


def _outcome_kind(outcome: str) -> str:
    """'case 12: agree → refunded' → 'agree'; 'order X: auto-confirmed' → 'auto-confirmed'."""
    tail = outcome.split(": ", 1)[-1]
    return tail.split(" → ")[0].split(" ")[0] if "→" in tail else tail.split(" (")[0]
