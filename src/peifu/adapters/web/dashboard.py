"""The platform dashboard (平台看板): after-sale metrics over time and by category, the worst shops,
compensation paid by rule and payout method, and the fund and deposit balances.

For platform administrators only (the figures include every shop's deposit). Charts are Apache
ECharts (vendored, see static/vendor) drawn from the same JSON that `/dashboard/data.json` serves;
every chart has a plain table beside it with the same numbers, for screen readers and for
copying. The figures come from `services.dashboard`, which reads the metric rollups and the ledger.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from peifu.adapters.web import error_text, i18n
from peifu.adapters.web.agent import refused_page
from peifu.adapters.web.labels import LABELS, label
from peifu.adapters.web.pages import PageActor, RuntimeDep, render, templates
from peifu.domain import metrics as rules
from peifu.domain.errors import DomainError
from peifu.services import dashboard, metrics, service_complaints
from peifu.services.context import Ctx

router = APIRouter(include_in_schema=False)

WINDOWS = (7, 30, 90)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f} h"


templates.env.filters["pct"] = pct
templates.env.filters["hours"] = hours


def _r(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def figures(ctx: Ctx, days: int) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data (rates as fractions, times in seconds,
    money in fen)."""
    window = metrics.window_for(ctx, days=days, start=None, end=None)
    series = dashboard.daily(ctx, window)
    overview = dashboard.by_category(ctx, window)
    paid = dashboard.compensation_paid(ctx, window)
    money = dashboard.holdings(ctx)
    totals = rules.values_of(overview.totals)
    return {
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "days": window.days},
        "totals": {
            "paid_orders": overview.totals.paid_orders,
            "refund_orders": overview.totals.refund_orders,
            "lost_dispute_orders": overview.totals.lost_dispute_orders,
            "rated_phases": list(metrics.rated_phases(ctx)),
            "in_trade_refund_orders": overview.totals.in_trade_refund_orders,
            "post_trade_refund_orders": overview.totals.post_trade_refund_orders,
            "post_trade_refund_rate": _r(
                rules.rate(
                    min(overview.totals.post_trade_refund_orders, overview.totals.paid_orders),
                    overview.totals.paid_orders,
                )
            ),
            "refund_rate": _r(totals[rules.MetricName.refund_rate]),
            "dispute_rate": _r(totals[rules.MetricName.dispute_rate]),
            "self_resolution_rate": _r(totals[rules.MetricName.self_resolution_rate]),
            "resolution_time_median": totals[rules.MetricName.resolution_time_median],
            "resolution_time_p90": totals[rules.MetricName.resolution_time_p90],
            "compensation_fen": sum(r.amount_fen for r in paid),
        },
        "daily": [
            {
                "day": d.day.isoformat(),
                "paid_orders": d.paid_orders,
                "refund_orders": d.refund_orders,
                "lost_dispute_orders": d.lost_dispute_orders,
                "post_trade_refund_orders": d.post_trade_refund_orders,
                "refund_rate": _r(d.refund_rate),
                "post_trade_refund_rate": _r(d.post_trade_refund_rate),
                "dispute_rate": _r(d.dispute_rate),
                "resolved": d.resolved,
                "resolution_time_median": d.resolution_median_seconds,
                "resolution_time_p90": d.resolution_p90_seconds,
            }
            for d in series
        ],
        "categories": [
            {
                "category": c.category,
                "shops": c.shops,
                "paid_orders": c.paid_orders,
                "refund_rate": _r(c.refund_rate),
                "dispute_rate": _r(c.dispute_rate),
                "self_resolution_rate": _r(c.self_resolution_rate),
                "resolution_time_median": c.resolution_median_seconds,
                "flagged_shops": c.flagged_shops,
                "post_trade_refund_rate": _r(c.post_trade_refund_rate),
            }
            for c in overview.categories
        ],
        "worst_shops": [
            {
                "shop_id": w.shop_id,
                "name": w.name,
                "category": w.category,
                "rank": w.rank,
                "shops_in_category": w.shops_in_category,
                "flags": w.flags,
                "refund_rate": _r(w.refund_rate),
                "dispute_rate": _r(w.dispute_rate),
                "resolution_time_median": w.resolution_median_seconds,
            }
            for w in overview.worst
        ],
        "service_complaints": [
            {
                "shop_id": sc.shop_id,
                "complaints": sc.complaints,
                "per_1000_orders": sc.per_1000_orders,
                "in_time": {st.step: st.share_in_time for st in sc.steps},
                "satisfaction_avg": sc.satisfaction_avg,
                "shop_misses_in_period": sc.shop_misses_in_period,
            }
            for sc in service_complaints.shops_overview(ctx)
        ],
        "compensation": [
            {
                "rule": r.rule,
                "payout_method": r.payout_method,
                "payer": r.payer,
                "count": r.count,
                "amount_fen": r.amount_fen,
            }
            for r in paid
        ],
        "holdings": {
            "platform_fund_fen": money.platform_fund_fen,
            "payouts_pending_fen": money.payouts_pending_fen,
            "deposits_fen": money.deposits_fen,
            "debts_fen": money.debts_fen,
            "shops": [
                {"shop_id": s.shop_id, "name": s.name, "deposit_fen": s.deposit_fen, "debt_fen": s.debt_fen}
                for s in money.shops
            ],
        },
    }


def chart_words() -> dict[str, Any]:
    """The words the charts need, in the reader's language."""
    _ = i18n.gettext
    return {
        "refund_rate": _("Refund rate"),
        "dispute_rate": _("Dispute rate"),
        "paid_orders": _("Paid orders"),
        "median": _("Median resolution time (h)"),
        "p90": _("90th percentile (h)"),
        "hours": _("hours"),
        "deposit": _("Deposit"),
        "debt": _("Debt"),
        "amount": _("Amount (yuan)"),
        "rules": {k: label("rule", k) for k in LABELS["rule"]},
        "methods": {k: label("method", k) for k in LABELS["method"]},
    }


def _days(request: Request) -> int:
    try:
        days = int(request.query_params.get("days", "30"))
    except ValueError:
        return 30
    return days if days in WINDOWS else 30


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        dashboard.check_reader(who)
    except DomainError as exc:
        return refused_page(request, who, exc)
    days = _days(request)
    with rt.read_uow() as ctx:  # may lag: a replica when PEIFU_READ_DATABASE_URL is set
        data = figures(ctx, days)
    payload = json.dumps({"data": data, "words": chart_words()}, ensure_ascii=False).replace("</", "<\\/")
    return render(request, "dashboard/index.html", who, data=data, payload=payload, days=days, windows=WINDOWS)


@router.get("/dashboard/data.json")
def dashboard_data(request: Request, rt: RuntimeDep, who: PageActor) -> Response:
    try:
        dashboard.check_reader(who)
    except DomainError as exc:
        return JSONResponse({"code": exc.code, "message": error_text.message_for(exc)}, status_code=403)
    with rt.read_uow() as ctx:
        return JSONResponse(figures(ctx, _days(request)))
