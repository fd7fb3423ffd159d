"""What a simulated run produced, read back from the database, and its tables for the terminal."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from peifu.adapters.runtime import Runtime
from peifu.adapters.simulation.cast import CATEGORIES, SimConfig, as_utc, sim_shop_id
from peifu.db.engine import unit_of_work
from peifu.db.models import (
    Case,
    CaseEvent,
    Compensation,
    Complaint,
    Dispute,
    Order,
    OrderLine,
    ServiceComplaint,
    ServiceComplaintMiss,
)
from peifu.domain.clock import ManualClock
from peifu.domain.errors import DomainError
from peifu.domain.metrics import MetricName
from peifu.domain.service_complaints import State as SvcState
from peifu.domain.vocabulary import (
    CaseState,
    ComplaintStatus,
    DisputeStatus,
    OrderState,
)
from peifu.services import metrics as metric_service
from peifu.services.context import Ctx


@dataclass
class Summary:
    """What the run produced: counts and rates from simulated time only (same seed → same summary)."""

    config: dict[str, Any]
    totals: dict[str, int]
    rates: dict[str, float]
    hours: dict[str, float]
    money_fen: dict[str, int]
    case_types: dict[str, int]  # as requested
    reasons: dict[str, int]  # as first given
    case_states: dict[str, int]
    engine: dict[str, int]  # steps run, refused by the rules (by code), deadlines fired (by kind)
    categories: list[dict[str, Any]]
    worst_shops: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _hours(seconds: list[float]) -> tuple[float, float]:
    if not seconds:
        return 0.0, 0.0
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return round(statistics.median(ordered) / 3600, 2), round(p90 / 3600, 2)


def summarise(rt: Runtime, config: SimConfig, start: datetime, end: datetime, stats: Counter[str]) -> Summary:
    """Figures of the simulated marketplace, read back from the database."""

    shop_ids = [sim_shop_id(config.seed, n) for n in range(config.shops)]
    with unit_of_work(rt.factory) as session:
        order_rows = session.execute(
            select(Order.id, Order.shop_id, Order.state, Order.paid_at).where(Order.shop_id.in_(shop_ids))
        ).all()
        case_rows = session.execute(
            select(
                Case.id,
                Case.shop_id,
                Case.order_id,
                Case.case_type,
                Case.reason,
                Case.state,
                Case.opened_at,
                Case.resolved_at,
                Case.escalated_at,
                Case.abusive,
            ).where(Case.shop_id.in_(shop_ids))
        ).all()
        case_ids = [r.id for r in case_rows]
        asked = [  # what each buyer asked for when opening (rulings and proposals may change the type)
            data
            for (data,) in session.execute(
                select(CaseEvent.data).where(CaseEvent.case_id.in_(case_ids), CaseEvent.action == "open")
            )
        ]
        first_answer: dict[int, datetime] = {}
        for case_id, at in session.execute(
            select(CaseEvent.case_id, func.min(CaseEvent.at))
            .where(CaseEvent.case_id.in_(case_ids), CaseEvent.actor_role == "seller")
            .group_by(CaseEvent.case_id)
        ):
            first_answer[case_id] = as_utc(at)
        refunded: dict[int, int] = {}
        for case_id, amount in session.execute(
            select(Case.id, func.sum(OrderLine.paid_fen))
            .join(OrderLine, OrderLine.order_id == Case.order_id)
            .where(Case.id.in_(case_ids), Case.state == CaseState.refunded)
            .group_by(Case.id)
        ):
            refunded[case_id] = int(amount or 0)
        comp_rows = session.execute(
            select(Case.shop_id, Compensation.rule, Compensation.amount_fen)
            .join(Case, Case.id == Compensation.case_id)
            .where(Case.shop_id.in_(shop_ids))
        ).all()
        complaint_rows = session.execute(select(Complaint.status).where(Complaint.shop_id.in_(shop_ids))).all()
        svc_rows = session.execute(select(ServiceComplaint.state).where(ServiceComplaint.shop_id.in_(shop_ids))).all()
        svc_misses = dict(
            session.execute(
                select(ServiceComplaintMiss.party, func.count())
                .where(ServiceComplaintMiss.shop_id.in_(shop_ids))
                .group_by(ServiceComplaintMiss.party)
            ).all()
        )
        rulings = session.execute(
            select(Dispute.status, func.count()).where(Dispute.shop_id.in_(shop_ids)).group_by(Dispute.status)
        ).all()
        ctx = Ctx(session=session, clock=ManualClock(end), policies=rt.policies, reactions=rt.reactions)
        window = metric_service.window_for(ctx, days=None, start=start.date(), end=(end - timedelta(seconds=1)).date())
        category_rows: list[dict[str, Any]] = []
        worst: list[dict[str, Any]] = []
        for category in sorted({sorted(CATEGORIES)[n % len(CATEGORIES)] for n in range(config.shops)}):
            try:
                report = metric_service.category_metrics(ctx, category, window)
            except DomainError:
                continue
            totals = report.totals
            category_rows.append(
                {
                    "category": category,
                    "shops": len(report.shops),
                    "paid_orders": totals.paid_orders,
                    "refund_rate": round(totals.refund_orders / totals.paid_orders, 4) if totals.paid_orders else 0.0,
                    "dispute_rate": round(totals.lost_dispute_orders / totals.paid_orders, 4)
                    if totals.paid_orders
                    else 0.0,
                    "resolution_median_h": _hours([float(s) for s in totals.resolution_seconds])[0],
                    "compensation_fen": sum(a for shop, _, a in comp_rows if shop in {r.shop_id for r in report.shops}),
                }
            )
            for rank, shop in enumerate(report.shops[:2], start=1):
                figures = shop.score.figures
                worst.append(
                    {
                        "category": category,
                        "rank": rank,
                        "shop": shop.shop_id,
                        "paid_orders": shop.score.counts.paid_orders,
                        "refund_rate": round(figures[MetricName.refund_rate].value or 0.0, 4),
                        "dispute_rate": round(figures[MetricName.dispute_rate].value or 0.0, 4),
                        "flags": [str(f) for f in shop.score.flags],
                    }
                )
    paid = [r for r in order_rows if r.paid_at is not None]
    refund_orders = {r.order_id for r in case_rows if r.state == CaseState.refunded}
    escalated = [r for r in case_rows if r.escalated_at is not None]
    resolution = [(as_utc(r.resolved_at) - as_utc(r.opened_at)).total_seconds() for r in case_rows if r.resolved_at]
    response = [(first_answer[r.id] - as_utc(r.opened_at)).total_seconds() for r in case_rows if r.id in first_answer]
    comp_by_rule: Counter[str] = Counter()
    for _, rule, amount in comp_rows:
        comp_by_rule[rule] += amount
    res_median, res_p90 = _hours(resolution)
    resp_median, resp_p90 = _hours(response)
    engine = {k: v for k, v in sorted(stats.items())}
    return Summary(
        config={"shops": config.shops, "orders": config.orders, "days": config.days, "seed": config.seed},
        totals={
            "orders": len(order_rows),
            "paid_orders": len(paid),
            "completed_orders": sum(1 for r in order_rows if r.state == OrderState.completed),
            "closed_orders": sum(1 for r in order_rows if r.state == OrderState.closed),
            "cases": len(case_rows),
            "open_cases": sum(1 for r in case_rows if not CaseState(r.state).is_final),
            "disputes": len(escalated),
            "disputes_final": sum(n for status, n in rulings if status == DisputeStatus.final),
            "abusive_marked": sum(1 for r in case_rows if r.abusive),
            "complaints": len(complaint_rows),
            "complaints_upheld": sum(1 for (status,) in complaint_rows if status == ComplaintStatus.upheld),
            "service_complaints": len(svc_rows),
            "service_complaints_closed": sum(1 for (state,) in svc_rows if SvcState(state).is_final),
            "service_complaint_shop_misses": int(svc_misses.get("shop", 0)),
            "service_complaint_platform_misses": int(svc_misses.get("platform", 0)),
        },
        rates={
            "refund_rate": round(len(refund_orders) / len(paid), 4) if paid else 0.0,
            "case_rate": round(len(case_rows) / len(paid), 4) if paid else 0.0,
            "dispute_rate": round(len(escalated) / len(case_rows), 4) if case_rows else 0.0,
        },
        hours={
            "resolution_median": res_median,
            "resolution_p90": res_p90,
            "seller_response_median": resp_median,
            "seller_response_p90": resp_p90,
        },
        money_fen={
            "refunded_order_value": sum(refunded.values()),
            "compensation_total": sum(comp_by_rule.values()),
            **{f"compensation_{rule}": amount for rule, amount in sorted(comp_by_rule.items())},
        },
        case_types=dict(sorted(Counter(str(d["case_type"]) for d in asked).items())),
        reasons=dict(sorted(Counter(str(d["reason"]) for d in asked).items())),
        case_states=dict(sorted(Counter(r.state for r in case_rows).items())),
        engine=engine,
        categories=category_rows,
        worst_shops=worst,
    )


def print_summary(summary: Summary, console: Any) -> None:
    from rich.table import Table

    def fen(value: int) -> str:
        return f"¥{value / 100:,.2f}"

    head = Table(title="simulated marketplace", show_header=False)
    head.add_column("figure")
    head.add_column("value", justify="right")
    for name, value in summary.totals.items():
        head.add_row(name.replace("_", " "), f"{value:,}")
    for name, rate in summary.rates.items():
        head.add_row(name.replace("_", " "), f"{rate:.2%}")
    for name, hours in summary.hours.items():
        head.add_row(f"{name.replace('_', ' ')} (h)", f"{hours:.1f}")
    for name, amount in summary.money_fen.items():
        head.add_row(name.replace("_", " "), fen(amount))
    console.print(head)

    mix = Table(title="requests by type, reason and state")
    for column in ("type", "n", "reason", "n ", "state", "n  "):
        mix.add_column(column, justify="right" if column.startswith("n") else "left")
    rows = [list(summary.case_types.items()), list(summary.reasons.items()), list(summary.case_states.items())]
    for i in range(max(len(r) for r in rows)):
        cells: list[str] = []
        for part in rows:
            name, count = part[i] if i < len(part) else ("", "")
            cells += [str(name), str(count)]
        mix.add_row(*cells)
    console.print(mix)

    cats = Table(title="per category (the after-sale metrics of the whole run)")
    for column in ("category", "shops", "paid orders", "refund rate", "lost disputes", "resolution p50 h", "comp."):
        cats.add_column(column, justify="left" if column == "category" else "right")
    for row in summary.categories:
        cats.add_row(
            row["category"],
            str(row["shops"]),
            f"{row['paid_orders']:,}",
            f"{row['refund_rate']:.2%}",
            f"{row['dispute_rate']:.2%}",
            f"{row['resolution_median_h']:.1f}",
            fen(row["compensation_fen"]),
        )
    console.print(cats)

    worst = Table(title="worst shops per category")
    for column in ("category", "rank", "shop", "paid orders", "refund rate", "lost disputes", "flags"):
        worst.add_column(column)
    for row in summary.worst_shops:
        worst.add_row(
            row["category"],
            str(row["rank"]),
            row["shop"],
            str(row["paid_orders"]),
            f"{row['refund_rate']:.2%}",
            f"{row['dispute_rate']:.2%}",
            ", ".join(row["flags"]),
        )
    console.print(worst)
    refused = {k.split(":", 1)[1]: v for k, v in summary.engine.items() if k.startswith("refused:")}
    fired = {k.split(":", 1)[1]: v for k, v in summary.engine.items() if k.startswith("deadline:")}
    console.print(f"steps {summary.engine.get('steps', 0):,}; deadlines fired {fired}; refused by the rules {refused}")
