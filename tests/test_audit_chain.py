"""The audit chain covers every case event and ledger transaction and names the first broken link."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from peifu.adapters.db.engine import unit_of_work
from peifu.adapters.runtime import Runtime
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import CaseAction, CaseType, Reason, Role
from peifu.services import audit, cases
from peifu.services.commands import CaseIn, CaseLineIn
from peifu.services.context import Ctx
from tests.conftest import as_buyer, as_seller, order_body


def _refund(client: TestClient, order_id: str) -> int:
    assert client.post("/api/v1/orders", json=order_body(order_id)).status_code == 201
    assert client.post(f"/api/v1/orders/{order_id}/events", json={"kind": "paid"}).status_code == 200
    case = client.post(
        "/api/v1/cases",
        json={"order_id": order_id, "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "other"},
        headers=as_buyer(),
    ).json()["id"]
    assert client.post(f"/api/v1/cases/{case}/agree", headers=as_seller()).status_code == 200
    return int(case)


def _verify(rt: Runtime) -> audit.Break | None:
    with unit_of_work(rt.factory) as session:
        return audit.verify(session)


def _execute(rt: Runtime, sql: str) -> None:
    with rt.engine.begin() as conn:
        conn.execute(text(sql))


def test_every_event_and_transaction_is_linked(client: TestClient, rt: Runtime) -> None:
    _refund(client, "A1")
    _refund(client, "A2")
    with unit_of_work(rt.factory) as session:
        events = session.execute(text("SELECT COUNT(*) FROM case_events")).scalar_one()
        txns = session.execute(text("SELECT COUNT(*) FROM ledger_transactions WHERE sealed")).scalar_one()
        assert audit.count(session) == events + txns > 0
    assert _verify(rt) is None


def test_rows_expunged_before_the_commit_are_still_linked(client: TestClient, rt: Runtime) -> None:
    """A long unit of work may expunge what it has flushed to stay small; the links are still written."""
    assert client.post("/api/v1/orders", json=order_body("X1")).status_code == 201
    assert client.post("/api/v1/orders/X1/events", json={"kind": "paid"}).status_code == 200
    request = CaseIn(order_id="X1", lines=[CaseLineIn(line_no=1)], case_type=CaseType.refund_only, reason=Reason.other)
    with rt.uow() as ctx:
        case = cases.open_case(ctx, request, Actor(Role.buyer, "buyer-1"))
        cases.act(ctx, case.id, CaseAction.agree, Actor(Role.seller, "shop-1"))
        ctx.session.flush()
        ctx.session.expunge_all()
    with unit_of_work(rt.factory) as session:
        events = session.execute(text("SELECT COUNT(*) FROM case_events")).scalar_one()
        txns = session.execute(text("SELECT COUNT(*) FROM ledger_transactions WHERE sealed")).scalar_one()
        assert events >= 2 and txns >= 1
        assert audit.count(session) == events + txns
    assert _verify(rt) is None


def test_rows_a_rolled_back_savepoint_took_away_get_no_link(client: TestClient, rt: Runtime) -> None:
    assert client.post("/api/v1/orders", json=order_body("X2")).status_code == 201
    assert client.post("/api/v1/orders/X2/events", json={"kind": "paid"}).status_code == 200
    request = CaseIn(order_id="X2", lines=[CaseLineIn(line_no=1)], case_type=CaseType.refund_only, reason=Reason.other)
    with rt.uow() as ctx:
        case = cases.open_case(ctx, request, Actor(Role.buyer, "buyer-1"))
        savepoint = ctx.session.begin_nested()
        cases.act(ctx, case.id, CaseAction.agree, Actor(Role.seller, "shop-1"))  # events and a refund...
        ctx.session.flush()
        savepoint.rollback()  # ...undone
    with unit_of_work(rt.factory) as session:
        assert session.execute(text("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'refund'")).scalar_one() == 0
        events = session.execute(text("SELECT COUNT(*) FROM case_events")).scalar_one()
        txns = session.execute(text("SELECT COUNT(*) FROM ledger_transactions WHERE sealed")).scalar_one()
        assert audit.count(session) == events + txns
    assert _verify(rt) is None


def test_an_edited_case_event_is_named(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "B1")
    _execute(rt, f"UPDATE case_events SET to_state = 'closed' WHERE case_id = {case} AND seq = 2")
    broken = _verify(rt)
    assert broken is not None and broken.ref == f"{case}:2" and "edited" in broken.problem


def test_a_deleted_ledger_entry_is_named(client: TestClient, rt: Runtime) -> None:
    _refund(client, "C1")
    with unit_of_work(rt.factory) as session:
        txn = session.execute(text("SELECT MIN(txn_id) FROM ledger_entries")).scalar_one()
    _execute(rt, f"DELETE FROM ledger_entries WHERE id = (SELECT MIN(id) FROM ledger_entries WHERE txn_id = {txn})")
    broken = _verify(rt)
    assert broken is not None and broken.kind == "ledger" and broken.ref == str(txn)


def test_a_deleted_link_is_named(client: TestClient, rt: Runtime) -> None:
    _refund(client, "D1")
    _execute(rt, "DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) + 1 FROM audit_log)")
    broken = _verify(rt)
    assert broken is not None and "deleted" in broken.problem


def test_a_row_written_around_the_chain_is_named(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "E1")
    _execute(
        rt,
        "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, data) "
        f"VALUES ({case}, 99, CURRENT_TIMESTAMP, 'agent', 'mallory', 'withdraw', 'refunded', 'withdrawn', '{{}}')",
    )
    broken = _verify(rt)
    assert broken is not None and broken.ref == f"{case}:99" and "without an audit link" in broken.problem


@pytest.mark.parametrize("tamper", ["UPDATE audit_log SET digest = '{}' WHERE seq = 1".format("0" * 64)])
def test_an_edited_link_is_named(client: TestClient, rt: Runtime, tamper: str) -> None:
    _refund(client, "F1")
    _execute(rt, tamper)
    broken = _verify(rt)
    assert broken is not None and broken.seq == 1


def test_a_writer_that_dies_after_writing_its_links_leaves_no_hole(client: TestClient, rt: Runtime) -> None:
    """A worker killed between inserting its links and its COMMIT: the next writer takes the same
    link numbers, so the chain has no hole that `verify` would read as deleted links."""
    _refund(client, "H1")
    assert client.post("/api/v1/orders", json=order_body("H2")).status_code == 201
    assert client.post("/api/v1/orders/H2/events", json={"kind": "paid"}).status_code == 200
    request = CaseIn(order_id="H2", lines=[CaseLineIn(line_no=1)], case_type=CaseType.refund_only, reason=Reason.other)
    with rt.uow() as ctx:
        case_id = cases.open_case(ctx, request, Actor(Role.buyer, "buyer-1")).id
    with unit_of_work(rt.factory) as session:
        before = audit.count(session)

    doomed = rt.factory()
    doomed.begin()
    ctx = Ctx(session=doomed, clock=rt.clock, policies=rt.policies, reactions=rt.reactions)
    cases.act(ctx, case_id, CaseAction.agree, Actor(Role.seller, "shop-1"))
    audit._write_links(doomed)  # what the commit hook does first; then the process dies
    doomed.execute(text("SELECT 1"))
    assert audit.count(doomed) > before  # its links were in the table, uncommitted
    doomed.rollback()  # the server's answer to a dead client
    doomed.close()

    with rt.uow() as ctx:  # the request is taken up again, by another writer
        cases.act(ctx, case_id, CaseAction.agree, Actor(Role.seller, "shop-1"))
    assert _verify(rt) is None
    with unit_of_work(rt.factory) as session:
        numbers = list(session.scalars(text("SELECT seq FROM audit_log ORDER BY seq")))
    assert numbers == list(range(1, len(numbers) + 1))
