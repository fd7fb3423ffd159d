"""Metrics as CSV for spreadsheets: one row per shop, the same figures as the JSON bodies."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.responses import Response

from peifu.adapters.api.metrics_schemas import CountsOut, MetricOut, ShopMetricsOut
from peifu.domain import metrics as rules
from peifu.domain.metrics import MetricName

CSV_COLUMNS = [
    "rank",
    "shop_id",
    "category",
    "category_source",
    "from",
    "to",
    *CountsOut.model_fields,
    *(f"{name}{suffix}" for name in MetricName for suffix in ("", "_percentile", "_flagged")),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1 else f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def to_csv(shops: list[ShopMetricsOut], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for s in shops:
        row: list[Any] = [s.rank, s.shop_id, s.category, s.category_source, s.window.from_, s.window.to]
        row += [getattr(s.counts, field) for field in CountsOut.model_fields]
        for name in MetricName:
            m: MetricOut = getattr(s.metrics, name.value)
            row += [m.value, m.category_percentile, m.flagged]
        writer.writerow([_cell(v) for v in row])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def filename_for(name: str, window: rules.Window) -> str:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    return f"metrics-{safe}-{window.start}-{window.end}.csv"
