"""Idempotency keys on POSTs (src/peifu/adapters/api/idempotency.py).

A retry with the same key and body gets the first answer again, marked `Idempotent-Replayed:
true`, and nothing is done twice: one order, one refund, one compensation, one payout. The same
key with another body is a 422; keys belong to the caller that sent them; a 5xx is not kept, so
the retry really runs. Duplicates sent at the same moment from several threads (on PostgreSQL
too: each request is its own transaction there) never pay twice — with one key or with none.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from peifu.adapters.api.app import create_app
from peifu.adapters.api.idempotency import ABANDONED_AFTER, principal_hash
from peifu.adapters.runtime import Runtime
from peifu.adapters.worker import Worker
from peifu.db.models import (
    AuthSession,
    Base,
    Case,
    CaseEvent,
    Compensation,
    IdempotencyRecord,
    LedgerTransaction,
    Order,
    OrderEvent,
    OutboxMessage,
)
from peifu.domain.clock import ManualClock
from peifu.services import auth
from peifu.services import orders as order_service
from peifu.settings import Settings
from tests import builders
from tests.conftest import START, as_buyer, as_seller, order_body

API = "/api/v1"
AGENT = {"X-Peifu-Actor": "agent:xiaoer-1"}
PLATFORM = {"X-Peifu-Actor": "platform:platform"}  # the marketplace's own key: money is its business
THREADS = 8


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def paid_order(client: TestClient, order_id: str, buyer: str = "buyer-1", shop: str = "shop-1") -> None:
    builders.order(client, order_id, buyer=buyer, shop=shop)


def open_case(client: TestClient, order_id: str, reason: str = "out_of_stock", buyer: str = "buyer-1") -> int:
    return builders.open_case(client, order_id, reason=reason, buyer=buyer)


def count(rt: Runtime, model: Any, *where: Any) -> int:
    with rt.factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def money_of_case(rt: Runtime, case_id: int) -> tuple[int, int, int, int]:
    """(refund transactions, compensations, compensation transactions, payouts queued) of a case."""
    return (
        count(rt, LedgerTransaction, LedgerTransaction.case_id == case_id, LedgerTransaction.kind == "refund"),
        count(rt, Compensation, Compensation.case_id == case_id),
        count(
            rt, LedgerTransaction, LedgerTransaction.case_id == case_id, LedgerTransaction.kind.like("compensation%")
        ),
        count(rt, OutboxMessage, OutboxMessage.case_id == case_id),
    )


def replayed(resp: httpx.Response) -> bool:
    return resp.headers.get("idempotent-replayed") == "true"


# --- same key, same body ----------------------------------------------------------------------------


def test_a_retried_order_is_ingested_once(client: TestClient, rt: Runtime) -> None:
    first = client.post(f"{API}/orders", json=order_body("T1"), headers=key("order-T1"))
    assert first.status_code == 201 and not replayed(first)
    again = client.post(f"{API}/orders", json=order_body("T1"), headers=key("order-T1"))
    assert again.status_code == 201, again.text
    assert replayed(again)
    assert again.json() == first.json()
    assert count(rt, Order) == 1
    # without a key the same request is a new request, refused because the order exists
    assert client.post(f"{API}/orders", json=order_body("T1")).status_code == 409

    paid = client.post(f"{API}/orders/T1/events", json={"kind": "paid"}, headers=key("pay-T1"))
    assert paid.status_code == 200
    for _ in range(3):
        retry = client.post(f"{API}/orders/T1/events", json={"kind": "paid"}, headers=key("pay-T1"))
        assert (retry.status_code, replayed(retry), retry.json()) == (200, True, paid.json())
    assert count(rt, OrderEvent, OrderEvent.kind == "paid") == 1


def test_a_retried_refund_is_paid_once(client: TestClient, rt: Runtime) -> None:
    paid_order(client, "T1")
    case_id = open_case(client, "T1")
    first = client.post(f"{API}/cases/{case_id}/agree", headers={**as_seller(), **key("agree-1")})
    assert first.status_code == 200, first.text
    assert first.json()["state"] == "refunded"
    once = money_of_case(rt, case_id)
    assert once == (1, 1, 1, 1)  # the refund (paid out) and the out_of_stock compensation (in points)
    events = count(rt, CaseEvent, CaseEvent.case_id == case_id)
    for _ in range(3):
        retry = client.post(f"{API}/cases/{case_id}/agree", headers={**as_seller(), **key("agree-1")})
        assert retry.status_code == 200 and replayed(retry)
        assert retry.json() == first.json()
    assert money_of_case(rt, case_id) == once
    assert count(rt, CaseEvent, CaseEvent.case_id == case_id) == events
    # a new key is a new request: the case is refunded already
    fresh = client.post(f"{API}/cases/{case_id}/agree", headers={**as_seller(), **key("agree-2")})
    assert fresh.status_code == 409 and not replayed(fresh)


def test_a_refusal_is_kept_too(client: TestClient, rt: Runtime) -> None:
    """Any answer below 500 is the answer: a retry after the facts changed still gets it."""
    assert client.post(f"{API}/orders", json=order_body("T1")).status_code == 201  # not paid yet
    body = {"order_id": "T1", "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "out_of_stock"}
    early = client.post(f"{API}/cases", json=body, headers={**as_buyer(), **key("case-1")})
    assert early.status_code == 422, early.text
    assert client.post(f"{API}/orders/T1/events", json={"kind": "paid"}).status_code == 200
    retry = client.post(f"{API}/cases", json=body, headers={**as_buyer(), **key("case-1")})
    assert (retry.status_code, retry.json()) == (422, early.json())
    assert count(rt, Case) == 0
    fresh = client.post(f"{API}/cases", json=body, headers={**as_buyer(), **key("case-2")})
    assert fresh.status_code == 201, fresh.text


# --- the key's rules --------------------------------------------------------------------------------


def test_a_key_reused_with_another_body_is_422(client: TestClient, rt: Runtime) -> None:
    assert client.post(f"{API}/orders", json=order_body("T1"), headers=key("k")).status_code == 201
    other = client.post(f"{API}/orders", json=order_body("T2"), headers=key("k"))
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert not replayed(other)
    # another path with the same key is another request too
    elsewhere = client.post(f"{API}/orders/T1/events", json={"kind": "paid"}, headers=key("k"))
    assert (elsewhere.status_code, elsewhere.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert count(rt, Order) == 1
    assert count(rt, OrderEvent, OrderEvent.kind == "paid") == 0
    for bad in ["", " ", "x" * 201]:
        resp = client.post(f"{API}/orders", json=order_body("T3"), headers=key(bad))
        assert (resp.status_code, resp.json()["error"]["code"]) == (400, "idempotency_key_invalid"), repr(bad)
    assert count(rt, Order) == 1


def test_keys_belong_to_their_caller(client: TestClient, rt: Runtime) -> None:
    paid_order(client, "T1", buyer="buyer-1")
    paid_order(client, "T2", buyer="buyer-2")
    body = {"lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "out_of_stock"}
    one = client.post(f"{API}/cases", json={**body, "order_id": "T1"}, headers={**as_buyer("buyer-1"), **key("mine")})
    two = client.post(f"{API}/cases", json={**body, "order_id": "T2"}, headers={**as_buyer("buyer-2"), **key("mine")})
    assert one.status_code == two.status_code == 201
    assert not replayed(two) and one.json()["id"] != two.json()["id"]
    # the same key and the very same body from someone else is never answered with the first answer
    probe = client.post(f"{API}/cases", json={**body, "order_id": "T1"}, headers={**as_buyer("buyer-3"), **key("mine")})
    assert probe.status_code == 404 and not replayed(probe)
    assert "buyer-1" not in probe.text
    # and a caller's own key with another caller's body is just a reused key
    reused = client.post(
        f"{API}/cases", json={**body, "order_id": "T1"}, headers={**as_buyer("buyer-2"), **key("mine")}
    )
    assert (reused.status_code, reused.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert count(rt, Case) == 2


@pytest.fixture
def auth_app(rt: Runtime, database_url: str) -> Iterator[tuple[TestClient, Runtime]]:
    """A deployment that authenticates for real (no X-Peifu-Actor), with cheap Argon2 for speed."""
    settings = Settings(database_url=database_url, trust_actor_header=False, rate_limit_per_minute=0)
    srt = Runtime(settings, clock=ManualClock(START), migrate=False)
    with TestClient(create_app(srt), raise_server_exceptions=False) as c:
        yield c, srt
    srt.close()


def test_keys_belong_to_the_credential_and_never_keep_a_session_token(auth_app: tuple[TestClient, Runtime]) -> None:
    client, srt = auth_app
    with srt.uow() as ctx:
        auth.create_user(ctx.session, "wang", "buyer", "password-1234", ctx.now(), party_id="buyer-1")
        platform = auth.create_api_key(ctx.session, "platform", "erp", ctx.now()).key
        other = auth.create_api_key(ctx.session, "platform", "wms", ctx.now()).key
    erp, wms = {"Authorization": f"Bearer {platform}"}, {"Authorization": f"Bearer {other}"}
    first = client.post(f"{API}/orders", json=order_body("T1"), headers={**erp, **key("k1")})
    assert first.status_code == 201
    again = client.post(f"{API}/orders", json=order_body("T1"), headers={**erp, **key("k1")})
    assert again.status_code == 201 and replayed(again)
    # the other integration's k1 is its own: it really runs (and finds the order exists)
    theirs = client.post(f"{API}/orders", json=order_body("T1"), headers={**wms, **key("k1")})
    assert theirs.status_code == 409 and not replayed(theirs)
    # nobody: refused, and the refusal is not anyone's replay
    nobody = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k1"))
    assert nobody.status_code == 401 and not replayed(nobody)

    # a login retried under a key is a new login (a new session), and no token is kept anywhere
    logins = [
        client.post(f"{API}/auth/login", json={"username": "wang", "password": "password-1234"}, headers=key("l1"))
        for _ in range(2)
    ]
    client.cookies.clear()
    assert [r.status_code for r in logins] == [200, 200]
    tokens = [r.json()["token"] for r in logins]
    assert tokens[0] != tokens[1]
    with srt.factory() as session:
        assert session.scalar(select(func.count()).select_from(AuthSession)) == 2
    with srt.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for token in tokens:
                    assert token not in repr(tuple(row)), f"a session token is stored in clear in {table.name}"


# --- nothing kept for callers that did not authenticate; nothing kept forever -------------------------


def test_requests_without_valid_credentials_store_no_key(auth_app: tuple[TestClient, Runtime]) -> None:
    """Issue 21, item 7: 50 POSTs with junk tokens used to leave 50 rows behind."""
    client, srt = auth_app
    for i in range(50):
        junk = {"Authorization": f"Bearer junk-{i}", **key(f"junk-key-{i}")}
        resp = client.post(f"{API}/orders", json=order_body(f"J{i}"), headers=junk)
        assert resp.status_code == 401 and not replayed(resp), resp.text
    for headers in [
        {"X-Peifu-Actor": "platform:platform"},  # a header this deployment does not trust
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Cookie": "peifu_session=not-a-session"},
        {},
    ]:
        resp = client.post(f"{API}/orders", json=order_body("J-x"), headers={**headers, **key("anon")})
        assert resp.status_code == 401, (headers, resp.text)
    assert count(srt, IdempotencyRecord) == 0
    assert count(srt, Order) == 0


def test_a_key_is_kept_for_the_retention_and_then_is_a_new_key(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    hours = 24  # the documented default retention (Stripe's): Settings.idempotency_retention_hours
    first = client.post(f"{API}/orders", json=order_body("T1"), headers=key("day-old"))
    assert first.status_code == 201
    clock.advance(timedelta(hours=hours) - timedelta(seconds=1))
    within = client.post(f"{API}/orders", json=order_body("T1"), headers=key("day-old"))
    assert within.status_code == 201 and replayed(within)
    clock.advance(timedelta(seconds=2))
    after = client.post(f"{API}/orders", json=order_body("T1"), headers=key("day-old"))
    assert not replayed(after)  # it ran again: the order exists by now
    assert (after.status_code, after.json()["error"]["code"]) == (409, "order_exists")
    assert count(rt, Order) == 1
    assert rt.settings.idempotency_retention_hours == hours


def _stored_key(rt: Runtime, name: str, age: timedelta) -> None:
    with rt.uow() as ctx:
        ctx.session.add(
            IdempotencyRecord(
                principal=principal_hash("actor:platform:platform"),
                key=name,
                method="POST",
                path="/api/v1/orders",
                body_hash="0" * 64,
                status_code=201,
                response_body=b"{}",
                content_type="application/json",
                created_at=ctx.now() - age,
                completed_at=ctx.now() - age,
            )
        )


def _keys(rt: Runtime) -> list[str]:
    with rt.factory() as session:
        return sorted(session.scalars(select(IdempotencyRecord.key)))


def test_the_worker_purges_expired_keys(rt: Runtime) -> None:
    for name, hours in [("fresh", 1), ("almost", 23), ("old", 25), ("ancient", 24 * 30)]:
        _stored_key(rt, name, timedelta(hours=hours))
    worker = Worker(rt, idle_sleep=0.05)
    worker.run_once()  # fires nothing, and purges once ...
    assert _keys(rt) == ["almost", "fresh"]
    _stored_key(rt, "old-again", timedelta(hours=48))
    worker.run_once()  # ... and not again within the hour
    assert _keys(rt) == ["almost", "fresh", "old-again"]
    assert worker.purge_if_due() == 0


def test_the_cli_purges_expired_keys(rt: Runtime, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from peifu.adapters.cli import app as cli

    assert isinstance(rt.clock, ManualClock)
    monkeypatch.setattr("peifu.adapters.runtime.SystemClock", lambda: rt.clock)  # the CLI's "now" is the test's
    for name, hours in [("fresh", 2), ("old", 25), ("week", 24 * 7)]:
        _stored_key(rt, name, timedelta(hours=hours))
    done = CliRunner().invoke(cli, ["idempotency", "purge", "--database-url", database_url])
    assert done.exit_code == 0, done.output
    assert "purged 2 idempotency keys" in done.output
    assert _keys(rt) == ["fresh"]
    done = CliRunner().invoke(cli, ["idempotency", "purge", "--hours", "1", "--database-url", database_url])
    assert done.exit_code == 0 and "purged 1 " in done.output, done.output
    assert _keys(rt) == []


# --- failures ---------------------------------------------------------------------------------------


def test_a_5xx_is_not_kept_and_the_retry_runs(client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    real = order_service.ingest_order
    calls: list[str] = []

    def flaky(ctx: Any, body: Any) -> Any:
        calls.append(body.id)
        if len(calls) == 1:
            raise RuntimeError("the database went away half-way")
        return real(ctx, body)

    monkeypatch.setattr(order_service, "ingest_order", flaky)
    broken = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k500"))
    assert broken.status_code == 500
    assert count(rt, Order) == 0
    assert count(rt, IdempotencyRecord) == 0  # released: the retry is a real request
    retry = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k500"))
    assert retry.status_code == 201 and not replayed(retry)
    assert calls == ["T1", "T1"]
    assert count(rt, Order) == 1
    replay = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k500"))
    assert replay.status_code == 201 and replayed(replay)
    assert calls == ["T1", "T1"]


def test_a_request_still_running_is_409_until_it_is_abandoned(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    principal = principal_hash("actor:platform:platform")  # the trusted gateway's platform caller
    fingerprint = hashlib.sha256(b"POST /api/v1/orders\n" + httpx.Request("POST", "/", json=order_body("T1")).content)
    with rt.uow() as ctx:
        ctx.session.add(
            IdempotencyRecord(
                principal=principal,
                key="slow",
                method="POST",
                path="/api/v1/orders",
                body_hash=fingerprint.hexdigest(),
                created_at=ctx.now(),
            )
        )
    running = client.post(f"{API}/orders", json=order_body("T1"), headers=key("slow"))
    assert (running.status_code, running.json()["error"]["code"]) == (409, "idempotency_in_progress")
    assert count(rt, Order) == 0
    clock.advance(ABANDONED_AFTER + timedelta(seconds=1))  # the first request died with its process
    taken_over = client.post(f"{API}/orders", json=order_body("T1"), headers=key("slow"))
    assert taken_over.status_code == 201, taken_over.text
    assert not replayed(taken_over)
    assert count(rt, Order) == 1


# --- at the same moment -----------------------------------------------------------------------------


def together(n: int, send: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """`send(i)` from n threads released at once."""
    barrier = threading.Barrier(n)
    answers: list[httpx.Response | None] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            answers[i] = send(i)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


@pytest.mark.parametrize("keyed", ["same key", "own keys", "no key"])
def test_simultaneous_agreements_refund_and_compensate_once(client: TestClient, rt: Runtime, keyed: str) -> None:
    paid_order(client, "T1")
    case_id = open_case(client, "T1")

    def send(i: int) -> httpx.Response:
        headers = as_seller()
        if keyed == "same key":
            headers = {**headers, **key("agree-now")}
        elif keyed == "own keys":
            headers = {**headers, **key(f"agree-{i}")}
        return client.post(f"{API}/cases/{case_id}/agree", headers=headers)

    answers = together(THREADS, send)
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {200, 409}, [a.text for a in answers]
    done = [a for a in answers if a.status_code == 200]
    if keyed == "same key":
        assert len({a.text for a in done}) == 1  # the replays are the one answer
        assert len([a for a in done if not replayed(a)]) == 1
        refusals = [a.json()["error"]["code"] for a in answers if a.status_code == 409]
        assert set(refusals) <= {"idempotency_in_progress"}
    else:
        assert len(done) == 1, statuses
    assert money_of_case(rt, case_id) == (1, 1, 1, 1)
    with rt.factory() as session:
        assert session.scalar(select(Case.state).where(Case.id == case_id)) == "refunded"
        assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "agree")) == 1


@pytest.mark.parametrize("keyed", [True, False])
def test_simultaneous_advance_compensation_pays_once(client: TestClient, rt: Runtime, keyed: bool) -> None:
    assert client.post(f"{API}/platform/fund", json={"amount_fen": 10_000_000}, headers=PLATFORM).status_code == 200
    paid_order(client, "T1")
    assert (
        client.post(
            f"{API}/orders/T1/events", json={"kind": "shipped", "courier": "SF", "tracking_no": "SF1"}
        ).status_code
        == 200
    )
    case_id = open_case(client, "T1", reason="not_received")
    refused = client.post(f"{API}/cases/{case_id}/refuse", json={"reason": "已发货"}, headers=as_seller())
    assert refused.status_code == 200, refused.text
    escalated = client.post(f"{API}/cases/{case_id}/escalate", headers=as_buyer())
    assert escalated.json()["state"] == "in_intervention", escalated.text

    def send(i: int) -> httpx.Response:
        headers = {**AGENT, **key("advance")} if keyed else AGENT
        return client.post(f"{API}/cases/{case_id}/advance-compensation", headers=headers)

    answers = together(THREADS, send)
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    assert any(a.status_code == 200 for a in answers)
    with rt.factory() as session:
        paid = list(session.scalars(select(Compensation).where(Compensation.case_id == case_id)))
        assert len(paid) == 1, paid
        assert (
            session.scalar(
                select(func.count())
                .select_from(LedgerTransaction)
                .where(LedgerTransaction.case_id == case_id, LedgerTransaction.kind.like("compensation%"))
            )
            == 1
        )
        assert (
            session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.case_id == case_id)) == 1
        )


def test_simultaneous_deposit_top_ups_under_one_key_count_once(client: TestClient, rt: Runtime) -> None:
    """A top-up has no state to refuse a second one: only the key stands between a retry and a double."""
    paid_order(client, "T1")

    def send(i: int) -> httpx.Response:
        return client.post(
            f"{API}/shops/shop-1/deposit", json={"amount_fen": 50_000}, headers={**as_seller(), **key("topup-1")}
        )

    answers = together(THREADS, send)
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    money = client.get(f"{API}/shops/shop-1/money", headers=as_seller()).json()
    assert money["deposit_fen"] == 50_000
    with rt.factory() as session:
        kinds = list(session.scalars(select(LedgerTransaction.kind)))
    assert len([k for k in kinds if "deposit" in k]) == 1, kinds


def test_simultaneous_retries_of_an_abandoned_request_run_it_once(
    client: TestClient, rt: Runtime, clock: ManualClock
) -> None:
    """The first request died mid-way; its retries arrive together after ABANDONED_AFTER: one takes over."""
    import hashlib

    paid_order(client, "T1")
    body = {"amount_fen": 50_000}
    principal = hashlib.sha256(b"|seller:shop-1|").hexdigest()[:32]
    path = "/api/v1/shops/shop-1/deposit"
    fingerprint = hashlib.sha256(f"POST {path}\n".encode() + httpx.Request("POST", "/", json=body).content)
    with rt.uow() as ctx:
        ctx.session.add(
            IdempotencyRecord(
                principal=principal,
                key="topup-lost",
                method="POST",
                path=path,
                body_hash=fingerprint.hexdigest(),
                created_at=ctx.now(),
            )
        )
    clock.advance(ABANDONED_AFTER + timedelta(seconds=1))

    def send(i: int) -> httpx.Response:
        return client.post(path, json=body, headers={**as_seller(), **key("topup-lost")})

    answers = together(THREADS, send)
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    assert client.get(f"{API}/shops/shop-1/money", headers=as_seller()).json()["deposit_fen"] == 50_000


@pytest.mark.parametrize("route_fails", [False, True])
def test_the_answer_is_recorded_once_the_database_is_back(
    client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch, route_fails: bool
) -> None:
    """The database goes away just as the answer is to be recorded (a restart): the middleware waits
    for it instead of leaving the key "in progress" — which would refuse retries with 409 for
    ABANDONED_AFTER and then run a request that had been done already a second time."""
    from sqlalchemy.exc import OperationalError

    from peifu.adapters.api.idempotency import IdempotencyMiddleware

    real_record = IdempotencyMiddleware._record
    outages: list[int] = []

    def record_after_an_outage(self: Any, *args: Any) -> None:
        if len(outages) < 3:
            outages.append(1)
            raise OperationalError("UPDATE idempotency_keys", {}, Exception("server closed the connection"))
        real_record(self, *args)

    monkeypatch.setattr(IdempotencyMiddleware, "_record", record_after_an_outage)
    if route_fails:
        real_ingest = order_service.ingest_order
        first_call: list[int] = []

        def ingest_in_the_outage(ctx: Any, body: Any) -> Any:
            if not first_call:
                first_call.append(1)
                raise OperationalError("INSERT INTO orders", {}, Exception("the database system is shutting down"))
            return real_ingest(ctx, body)

        monkeypatch.setattr(order_service, "ingest_order", ingest_in_the_outage)

    first = client.post(f"{API}/orders", json=order_body("T1"), headers=key("through-outage"))
    assert first.status_code == (503 if route_fails else 201), first.text
    assert len(outages) == 3
    retry = client.post(f"{API}/orders", json=order_body("T1"), headers=key("through-outage"))
    assert retry.status_code == 201, retry.text
    assert replayed(retry) is not route_fails  # a 5xx was released: the retry ran; a 201 is replayed
    assert count(rt, Order) == 1


def test_a_database_away_when_the_key_is_claimed_is_a_503(
    client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from peifu.adapters.api.idempotency import IdempotencyMiddleware

    real_claim = IdempotencyMiddleware._claim
    down = [True]

    def claim(self: Any, *args: Any) -> Any:
        if down[0]:
            raise OperationalError("INSERT INTO idempotency_keys", {}, Exception("connection refused"))
        return real_claim(self, *args)

    monkeypatch.setattr(IdempotencyMiddleware, "_claim", claim)
    away = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k-away"))
    assert (away.status_code, away.json()["error"]["code"]) == (503, "database_unavailable")
    assert count(rt, Order) == 0
    down[0] = False
    back = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k-away"))
    assert back.status_code == 201 and not replayed(back)


def test_a_claim_whose_commit_went_unanswered_does_not_hold_off_the_retry(
    client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server crashes around the claim's COMMIT: the row is in the database (the WAL had it) but
    the answer was lost. The client gets a 503 and retries at once: the retry must run, not be
    answered 409 "in progress" for ABANDONED_AFTER (the PostgreSQL restart test found a writer held
    off 119 s). Another request's claim under the same key is never taken back."""
    from sqlalchemy.exc import OperationalError

    from peifu.adapters.api.idempotency import IdempotencyMiddleware

    real_insert = IdempotencyMiddleware._insert
    lost: list[int] = []

    def insert_then_lose_the_answer(self: Any, *args: Any) -> None:
        real_insert(self, *args)  # committed
        if not lost:
            lost.append(1)
            raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(IdempotencyMiddleware, "_insert", insert_then_lose_the_answer)
    first = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k-unanswered"))
    assert (first.status_code, first.json()["error"]["code"]) == (503, "database_unavailable")
    assert lost and count(rt, Order) == 0
    assert count(rt, IdempotencyRecord) == 0  # taken back, not left in progress
    retry = client.post(f"{API}/orders", json=order_body("T1"), headers=key("k-unanswered"))
    assert retry.status_code == 201 and not replayed(retry), retry.text
    assert count(rt, Order) == 1


def test_taking_back_an_unanswered_claim_spares_another_requests_claim(client: TestClient, rt: Runtime) -> None:
    from peifu.adapters.api.idempotency import IdempotencyMiddleware

    middleware = IdempotencyMiddleware(create_app(rt), rt)
    principal = principal_hash("someone")
    middleware._insert(principal, "k", "/api/v1/orders", "hash-a", START)
    middleware._release_unsure(principal, "k", "hash-a", START + timedelta(seconds=1))  # not this claim
    middleware._release_unsure(principal, "k", "hash-b", START)  # not this body
    assert count(rt, IdempotencyRecord) == 1
    middleware._release_unsure(principal, "k", "hash-a", START)
    assert count(rt, IdempotencyRecord) == 0
