"""Opening a request the raw way (services.raw_cases) writes what the single door's ORM path writes.

Each example builds the same order twice, as twins A-… and B-…, and opens the same request on
each through `cases.open_case`: B as it is (the raw path where it applies), A with the raw path
switched off (the ORM way only). Then every row either way is compared, ids in their place
(tests/service/test_batch_refunds.py's snapshot: cases with their triage suggestion, lines,
timelines, orders, deadlines, metric rows, domain events), and the cases' versions, the tables
and number of rows written, and the audit links (kind and row, in chain order); and the audit
chain verifies. A request refused one way is refused the other way too, with the same error.
Run on SQLite and on PostgreSQL (PEIFU_TEST_DATABASE_URL).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import AuditLink, Base, Case, CaseLine
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError
from peifu.domain.events import EventType
from peifu.domain.vocabulary import CaseType, OrderEventKind, Reason, Role
from peifu.services import abuse, audit, auto_handling, cases, metrics, orders, raw_cases, reactions
from peifu.services.context import Reactions
from peifu.services.inputs import AutoRuleIn, CaseIn, CaseLineIn, OrderEventIn, OrderIn
from tests.service.test_batch_refunds import _row_counts, assert_same, snapshot

COUNTER = itertools.count()

situation = st.fixed_dictionaries(
    {
        "case_type": st.sampled_from(list(CaseType)),
        "reason": st.sampled_from(
            [
                Reason.seven_day_no_reason,
                Reason.quality_problem,
                Reason.not_as_described,
                Reason.no_longer_wanted,
                Reason.late_shipment,
                Reason.wrong_item,
            ]
        ),
        "stage": st.sampled_from(["paid", "shipped", "signed", "completed", "signed"]),
        "shipping": st.sampled_from(["free", "fee"]),
        "prices": st.lists(st.integers(1, 50_000), min_size=1, max_size=3),
        "asked": st.lists(st.sampled_from([None, 0, 1, 2, 10**6]), min_size=1, max_size=3),  # None: all of it
        "description": st.sampled_from(["", "鞋底开胶了，质量太差，要求退货退款", "！！！", "不想要了", "  "]),
        "actor": st.sampled_from([Role.buyer, Role.buyer, Role.platform, Role.seller]),
        "before": st.sampled_from([None, None, "open", "abusive"]),  # an earlier request on the order
        "handed_back": st.sampled_from([None, None, None, "rule", "mark", "disabled_rule", "lifted_mark"]),
    }
)


def _order(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> None:
    lines = [
        {"sku": f"SKU-{n}", "title": "商品", "category": "shoes", "unit_price_fen": price, "quantity": 1}
        for n, price in enumerate(s["prices"])
    ]
    body = {
        "id": order_id,
        "shop": {"id": shop, "name": "孪生店", "category": "shoes"},
        "buyer": {"id": f"{shop}-buyer"},
        "lines": lines,
        "free_shipping": s["shipping"] == "free",
        "shipping_fee_fen": 800 if s["shipping"] == "fee" else 0,
    }
    with rt.uow() as ctx:
        orders.ingest_order(ctx, OrderIn.model_validate(body))
        orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.paid))
        if s["stage"] != "paid":
            tracking = "SF" + order_id.split("-", 1)[1].replace("-", "")
            shipped = {"kind": "shipped", "courier": "SF", "tracking_no": tracking}
            orders.record_event(ctx, order_id, OrderEventIn.model_validate(shipped))
        if s["stage"] in ("signed", "completed"):
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.signed))
        if s["stage"] == "completed":
            orders.record_event(ctx, order_id, OrderEventIn(kind=OrderEventKind.confirmed))
    buyer, seller = f"{shop}-buyer", Actor(Role.seller, shop)
    if s["before"] is not None:  # an earlier request on the last line (marked abusive: a sibling)
        earlier = CaseIn(
            order_id=order_id,
            lines=[CaseLineIn(line_no=len(s["prices"]))],
            case_type=CaseType.refund_only,
            reason=Reason.late_shipment if s["stage"] == "paid" else Reason.quality_problem,
        )
        try:
            with rt.uow() as ctx:
                case_id = cases.open_case(ctx, earlier, Actor(Role.buyer, buyer)).id
            if s["before"] == "abusive":
                with rt.uow() as ctx:
                    metrics.mark_abusive(ctx, case_id, Actor(Role.agent, "xiaoer-1"), note="职业索赔")
        except DomainError:
            pass
    if s["handed_back"] in ("rule", "disabled_rule"):
        rule = AutoRuleIn(name="全部同意", action="agree", enabled=s["handed_back"] == "rule")
        with rt.uow() as ctx:
            auto_handling.create_rule(ctx, seller, shop, rule)
    if s["handed_back"] in ("mark", "lifted_mark"):
        with rt.uow() as ctx:
            abuse.mark_buyer(ctx, buyer, Actor(Role.agent, "xiaoer-1"), reason="职业索赔", scope="none")
        if s["handed_back"] == "lifted_mark":
            with rt.uow() as ctx:
                abuse.lift_mark(ctx, buyer, Actor(Role.agent, "xiaoer-1"), reason="误判")


def _open(rt: Runtime, order_id: str, shop: str, s: dict[str, Any]) -> tuple[int | None, str | None]:
    lines = [
        CaseLineIn(line_no=n + 1, refund_amount_fen=asked) for n, asked in enumerate(s["asked"][: len(s["prices"])])
    ]
    body = CaseIn(
        order_id=order_id,
        lines=lines,
        case_type=s["case_type"],
        reason=s["reason"],
        description=s["description"],
    )
    actor = {
        Role.buyer: Actor(Role.buyer, f"{shop}-buyer"),
        Role.platform: Actor(Role.platform, "marketplace"),
        Role.seller: Actor(Role.seller, shop),
    }[s["actor"]]
    try:
        with rt.uow() as ctx:
            return cases.open_case(ctx, body, actor).id, None
    except DomainError as exc:
        return None, exc.code


def _links(rt: Runtime, case_id: int) -> list[tuple[str, str]]:
    """The case's audit links in chain order, as (kind, row): the case, its lines (by place) and
    timeline entries, anything else of its chain that names the case (e.g. a ledger's, an order's)."""
    with rt.uow() as ctx:
        line_ids = ctx.session.scalars(select(CaseLine.id).where(CaseLine.case_id == case_id))
        # labelled in the order the commit links changed rows (audit._row_records: by key as text, so
        # ids 9, 10, 11 go 10, 11, 9): the twins' ids differ, their lines' places in that order must not
        lines = {str(line_id): f"L{n}" for n, line_id in enumerate(sorted(line_ids, key=str))}
        chain = audit.chain_of(f"case:{case_id}")
        links = ctx.session.scalars(select(AuditLink).where(AuditLink.chain == chain).order_by(AuditLink.seq))
        out = []
        for link in links:
            if link.kind == "case" and link.ref == str(case_id):
                out.append(("case", "C"))
            elif link.kind == "case_line" and link.ref in lines:
                out.append(("case_line", lines[link.ref]))
            elif link.kind == "case_event" and link.ref.startswith(f"{case_id}:"):
                out.append(("case_event", link.ref.replace(str(case_id), "C", 1)))
    return out


NULLABLE = ("cases", "case_lines", "case_events", "deadlines", "events", "metric_cases")


def _nulls(rt: Runtime, case_id: int | None) -> dict[str, list[list[bool]]]:
    """Which columns of the case's rows are SQL NULL (the snapshot reads JSON null as None too)."""
    if case_id is None:
        return {}
    out = {}
    with rt.uow() as ctx:
        for name in NULLABLE:
            table = Base.metadata.tables[name]
            key = table.c.id if name == "cases" else table.c.case_id
            order = table.c.case_id if name == "metric_cases" else table.c.id
            stmt = select(*(c.is_(None) for c in table.c)).where(key == case_id).order_by(order)
            out[name] = [list(row) for row in ctx.session.execute(stmt)]
    return out


def _twins(rt: Runtime, s: dict[str, Any], taken: list[int] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    run = next(COUNTER)
    for twin in ("A", "B"):
        _order(rt, f"{twin}-{run}-0", f"{twin}-shop{run}", s)
    fast = raw_cases.open_one

    def counting(*args: Any) -> Any:
        written = fast(*args)
        if written is not None and taken is not None:
            taken.append(written.id)
        return written

    counts = _row_counts(rt)
    raw_cases.open_one = counting  # type: ignore[assignment]
    try:
        got_b = _open(rt, f"B-{run}-0", f"B-shop{run}", s)
    finally:
        raw_cases.open_one = fast  # type: ignore[assignment]
    middle = _row_counts(rt)
    raw_cases.open_one = lambda *args: None  # type: ignore[assignment]  # the ORM path only
    try:
        got_a = _open(rt, f"A-{run}-0", f"A-shop{run}", s)
    finally:
        raw_cases.open_one = fast  # type: ignore[assignment]
    after = _row_counts(rt)
    assert got_a[1] == got_b[1], f"the ORM path answered {got_a[1]}, the raw path {got_b[1]}"
    # the same tables written, the same number of rows
    assert {t: middle[t] - counts[t] for t in counts} == {t: after[t] - middle[t] for t in counts}
    opened = {"A": got_a[0], "B": got_b[0]}
    with rt.uow() as ctx:
        a = snapshot(ctx.session, f"A-{run}")
        b = snapshot(ctx.session, f"B-{run}")
        versions = {
            twin: ctx.session.scalar(select(Case.version).where(Case.id == case_id))
            for twin, case_id in opened.items()
            if case_id is not None
        }
    assert versions.get("A") == versions.get("B"), s
    assert _nulls(rt, opened["A"]) == _nulls(rt, opened["B"]), "SQL NULL where the other has JSON null"
    if opened["A"] is not None and opened["B"] is not None:
        assert a["cases"] and a["events"], "the snapshot holds the twins' rows"
        assert _links(rt, opened["A"]) == _links(rt, opened["B"])
    for shot, twin in ((a, "A"), (b, "B")):
        text = repr(shot).replace(f"{twin}-shop{run}", "SHOP")
        # the twins' rules and buyer marks have ids of their own
        text = re.sub(r"(#|auto-rule:|'abusive_mark_id': |'mark_id': )\d+", r"\1R", text)
        shot.clear()
        shot["all"] = text
    return a, b


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(s=situation)
def test_opening_a_request_the_raw_way_writes_what_the_orm_path_writes(rt: Runtime, s: dict[str, Any]) -> None:
    a, b = _twins(rt, s)
    assert_same(a, b)
    with rt.uow() as ctx:
        assert audit.verify(ctx.session) is None


PLAIN = {
    "case_type": CaseType.return_and_refund,
    "reason": Reason.seven_day_no_reason,
    "stage": "signed",
    "shipping": "free",
    "prices": [39_900],
    "asked": [None],
    "description": "",
    "actor": Role.buyer,
    "before": None,
    "handed_back": None,
}


@pytest.mark.parametrize(
    "change",
    [
        {},  # the benchmarked request (benchmarks/medusa_bench.py)
        {"description": "鞋底开胶了，质量太差，要求退货退款"},  # triaged: its suggestion kept, version 2
        {"stage": "shipped", "case_type": CaseType.refund_only, "reason": Reason.quality_problem},  # timer paused
        {"stage": "completed", "reason": Reason.quality_problem, "prices": [100, 200], "asked": [50, None]},
        {"before": "abusive", "prices": [100, 200]},
    ],
)
def test_the_plain_request_takes_the_raw_path(rt: Runtime, change: dict[str, Any]) -> None:
    taken: list[int] = []
    a, b = _twins(rt, {**PLAIN, **change}, taken)
    assert_same(a, b)
    assert len(taken) == 1, "opened the raw way"
    assert "'state': 'requested'" in a["all"]


@pytest.mark.parametrize("handed_back", ["rule", "mark"])
def test_a_request_a_reaction_has_work_for_is_handed_back(rt: Runtime, handed_back: str) -> None:
    """An enabled auto-handling rule of the shop, a standing mark on the buyer: the ORM path opens
    the request and its reactions answer it (agreed to by the rule; marked abusive under the mark)."""
    taken: list[int] = []
    a, b = _twins(rt, {**PLAIN, "handed_back": handed_back}, taken)
    assert_same(a, b)
    assert taken == []
    assert ("auto-rule #R (agree)" if handed_back == "rule" else "'abusive': True") in a["all"]


def test_only_the_standard_reactions_to_an_opened_case_are_taken_inline() -> None:
    assert reactions.standard().opening_inline
    extra = reactions.standard().on(EventType.case_opened, lambda ctx, event: None)
    assert not extra.opening_inline  # another reaction to an opened case: the ORM path opens it
    assert reactions.standard().on(EventType.case_escalated, lambda ctx, event: None).opening_inline
    assert not Reactions().opening_inline
