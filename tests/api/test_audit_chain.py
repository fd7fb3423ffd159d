"""The audit chains (services.audit, docs/audit.md): every row that decides money or liability is
linked, and the attacks of issue 15 are caught — an edited case event whose later links were
recomputed with the project's own digest functions (without the key), the last link deleted
together with its row (against an exported checkpoint), a flipped ruling, a redirected pending
payout — each naming the link; and writers to different chains do not wait for each other."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from peifu.adapters.cli import app as cli
from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.db.models import CaseEvent
from peifu.domain.actors import Actor
from peifu.domain.vocabulary import CaseAction, CaseType, Reason, Role
from peifu.services import audit, cases
from peifu.services.context import Ctx
from peifu.services.inputs import CaseIn, CaseLineIn
from tests.audit_support import SECRET, _execute, _links, _refund, _verify
from tests.complaint_flow import upheld
from tests.conftest import as_buyer, as_seller, order_body
from tests.dispute_flow import CHEAP, PDF, new_order, ok, open_case, refuse_and_escalate, rule, upload

ROTATED = audit.Keyring.parse("k2 " + "a-newer-secret-kept-outside-too, k1 " + "s3cr3t-kept-outside-the-database")


@pytest.fixture
def keyed(rt: Runtime) -> Iterator[Runtime]:
    """The runtime with a real key, as production runs (the development key is public)."""
    rt.factory.configure(info={audit.KEYRING: SECRET, audit.CLOCK: rt.clock})
    _execute(rt, "DELETE FROM audit_links")  # the kept policy versions, linked again under this key
    with unit_of_work(rt.factory) as session:
        audit.adopt(session, rt.clock.now())
    yield rt
    rt.factory.configure(info={audit.KEYRING: rt.audit_keys, audit.CLOCK: rt.clock})


def _counterfeit_ruled(client: TestClient) -> int:
    """A dispute ruled for the buyer with statutory compensation: a ruling, a compensation and
    two pending payouts. Returns the case id."""
    new_order(client, "R1", price=CHEAP)
    ok(client.post("/api/v1/shops/shop-1/deposit", json={"amount_fen": 100000}, headers=as_seller()))
    case_id = open_case(client, "R1", "refund_only", "counterfeit")
    dispute_id = refuse_and_escalate(client, case_id)
    ok(upload(client, dispute_id, as_buyer(), "document", PDF, "application/pdf", "appraisal.pdf"), 201)
    rule(
        client,
        dispute_id,
        outcome="support_buyer",
        case_type="refund_only",
        liable_party="seller",
        compensations=["counterfeit"],
        reasoning="买家提供品牌方鉴定报告，认定假货",
    )
    return case_id


def _checkpoint(rt: Runtime) -> dict[str, Any]:
    with unit_of_work(rt.factory) as session:
        return audit.checkpoint(session, rt.clock.now())


def _kinds(rt: Runtime) -> set[str]:
    return {link.kind for link in _links(rt)}


# --- what is covered --------------------------------------------------------------------------------


def test_every_row_that_decides_money_or_liability_is_linked(client: TestClient, keyed: Runtime) -> None:
    _refund(client, "A1")
    _counterfeit_ruled(client)
    upheld(client, "P1")
    assert _kinds(keyed) >= {
        "case_event",
        "ledger",
        "case",
        "case_line",
        "compensation",
        "outbox",
        "dispute",
        "ruling",
        "complaint",
        "penalty",
        "policy",
    }
    assert _verify(keyed) is None
    # a case's rows all go to the case's chain: one lock per case action, not one per table
    with unit_of_work(keyed.factory) as session:
        case_id = session.execute(text("SELECT id FROM cases ORDER BY id LIMIT 1")).scalar_one()
    chains = {link.chain for link in _links(keyed, "ref LIKE :p AND kind = 'case_event'", p=f"{case_id}:%")}
    assert chains == {audit.chain_of(f"case:{case_id}")}


def test_each_change_of_a_row_is_a_new_version(client: TestClient, keyed: Runtime) -> None:
    case = _refund(client, "V1")
    versions = _links(keyed, "kind = 'case' AND ref = :ref", ref=str(case))
    assert len(versions) >= 2  # opened, then agreed and refunded
    assert [v.seq for v in versions] == sorted(v.seq for v in versions)


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
    assert "outbox" not in _kinds(rt)
    assert _verify(rt) is None


# --- the attacks of issue 15 ------------------------------------------------------------------------


def test_an_edited_case_event_with_its_later_links_recomputed_without_the_key_is_named(
    client: TestClient, keyed: Runtime
) -> None:
    """The attacker has the database and the source code, not the key: they edit a case event and
    recompute its link and every later link of its chain with the project's own functions, keyed
    with what they can get (the public development key, named as the real key id)."""
    case = _refund(client, "B1")
    ref = f"{case}:2"
    _execute(keyed, "UPDATE case_events SET to_state = 'closed' WHERE case_id = :c AND seq = 2", c=case)
    [target] = _links(keyed, "kind = 'case_event' AND ref = :ref", ref=ref)
    with unit_of_work(keyed.factory) as session:
        edited = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case, CaseEvent.seq == 2)).one()
        record = audit.case_event_record(edited)
    guess = audit.Keyring({"k1": audit.DEV_SECRET}, "k1")
    prev = target.prev_hash
    for link in _links(keyed, "chain = :chain AND seq >= :seq", chain=target.chain, seq=target.seq):
        new_digest = audit.digest(record) if link.seq == target.seq else link.digest
        forged = audit.link_hash(guess, "k1", link.chain, link.seq, prev, link.kind, link.ref, new_digest)
        _execute(
            keyed,
            "UPDATE audit_links SET digest = :d, prev_hash = :p, hash = :h WHERE chain = :c AND seq = :s",
            d=new_digest,
            p=prev,
            h=forged,
            c=link.chain,
            s=link.seq,
        )
        prev = forged
    broken = _verify(keyed)
    assert broken is not None
    assert (broken.chain, broken.seq, broken.kind, broken.ref) == (target.chain, target.seq, "case_event", ref)
    assert "does not follow" in broken.problem


def test_an_edited_case_event_is_named(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "B2")
    _execute(rt, f"UPDATE case_events SET to_state = 'closed' WHERE case_id = {case} AND seq = 2")
    broken = _verify(rt)
    assert broken is not None and broken.ref == f"{case}:2" and "edited" in broken.problem


def test_the_last_link_deleted_with_its_row_is_caught_by_the_checkpoint(
    client: TestClient, keyed: Runtime, tmp_path: Path
) -> None:
    case = _refund(client, "C1")
    exported = tmp_path / "checkpoint.json"
    exported.write_text(json.dumps(_checkpoint(keyed)))  # kept outside the database
    last = _links(keyed, "chain = :c", c=audit.chain_of(f"case:{case}"))[-1]
    assert last.kind == "case_event"  # the timeline is linked last in its commit
    seq = int(last.ref.split(":")[1])
    # the attacker removes the last event and its link, and every checkpoint in the database
    _execute(keyed, "DELETE FROM case_events WHERE case_id = :c AND seq = :s", c=case, s=seq)
    _execute(keyed, "DELETE FROM audit_links WHERE chain = :c AND seq = :s", c=last.chain, s=last.seq)
    _execute(keyed, "DELETE FROM audit_checkpoints")
    assert _verify(keyed) is None  # no chain alone can notice its end cut off...
    broken = _verify(keyed, json.loads(exported.read_text()))  # ...the exported checkpoint does
    assert broken is not None and (broken.chain, broken.seq) == (last.chain, last.seq)
    assert "deleted" in broken.problem and "checkpoint" in broken.problem


def test_the_stored_checkpoint_is_used_when_none_is_given(client: TestClient, keyed: Runtime) -> None:
    case = _refund(client, "C2")
    _checkpoint(keyed)
    last = _links(keyed, "chain = :c", c=audit.chain_of(f"case:{case}"))[-1]
    _execute(keyed, "DELETE FROM case_events WHERE case_id = :c AND seq = :s", c=case, s=int(last.ref.split(":")[1]))
    _execute(keyed, "DELETE FROM audit_links WHERE chain = :c AND seq = :s", c=last.chain, s=last.seq)
    broken = _verify(keyed)
    assert broken is not None and (broken.chain, broken.seq) == (last.chain, last.seq)


def test_a_chain_rewritten_since_the_checkpoint_is_named(client: TestClient, keyed: Runtime) -> None:
    """Cut and regrown with the key (an insider with it): the checkpoint still saw another head."""
    case = _refund(client, "C3")
    cp = _checkpoint(keyed)
    chain = audit.chain_of(f"case:{case}")
    last = _links(keyed, "chain = :c", c=chain)[-1]
    _execute(keyed, "UPDATE audit_links SET hash = :h WHERE chain = :c AND seq = :s", h="f" * 64, c=chain, s=last.seq)
    broken = _verify(keyed, cp)
    assert broken is not None and broken.chain == chain


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE checkpoint SET root = 'f'",
        "UPDATE checkpoint SET heads = []",
        "UPDATE checkpoint SET signature = forged",
    ],
)
def test_an_edited_or_forged_checkpoint_is_refused(client: TestClient, keyed: Runtime, tamper: str) -> None:
    _refund(client, "C4")
    cp = _checkpoint(keyed)
    if "root" in tamper:
        cp["root"] = "f" * 64
    elif "heads" in tamper:
        cp["heads"] = cp["heads"][1:]
    else:
        cp["signature"] = audit.Keyring({"k1": audit.DEV_SECRET}, "k1").mac("k1", "anything")
    broken = _verify(keyed, cp)
    assert broken is not None and broken.kind == "checkpoint"


def test_a_flipped_ruling_is_named(client: TestClient, keyed: Runtime) -> None:
    _counterfeit_ruled(client)
    with unit_of_work(keyed.factory) as session:
        ruling = session.execute(text("SELECT id FROM rulings")).scalar_one()
    _execute(keyed, "UPDATE rulings SET outcome = 'support_seller', liable_party = 'buyer' WHERE id = :r", r=ruling)
    broken = _verify(keyed)
    assert broken is not None and (broken.kind, broken.ref) == ("ruling", str(ruling))
    assert "edited" in broken.problem


def test_a_redirected_pending_payout_is_named(client: TestClient, keyed: Runtime) -> None:
    case = _refund(client, "G1")
    with unit_of_work(keyed.factory) as session:
        payout = session.execute(text("SELECT id FROM outbox WHERE case_id = :c"), {"c": case}).scalar_one()
    _execute(keyed, "UPDATE outbox SET buyer_id = 'mallory' WHERE id = :p AND status = 'pending'", p=payout)
    broken = _verify(keyed)
    assert broken is not None and (broken.kind, broken.ref) == ("outbox", str(payout))


@pytest.mark.parametrize(
    ("kind", "sql"),
    [
        ("outbox", "UPDATE outbox SET amount_fen = amount_fen * 10"),
        ("compensation", "UPDATE compensations SET amount_fen = amount_fen + 1"),
        ("case", "UPDATE cases SET state = 'closed'"),
        ("case_line", "UPDATE case_lines SET amount_fen = amount_fen + 100"),
        ("dispute", "UPDATE disputes SET liable_party = 'buyer'"),
        ("penalty", "UPDATE penalties SET points = 0"),
        ("complaint", "UPDATE complaints SET status = 'rejected'"),
        ("policy", "UPDATE policy_versions SET text = text || ' '"),
    ],
)
def test_an_edit_of_any_covered_table_is_named(client: TestClient, keyed: Runtime, kind: str, sql: str) -> None:
    _counterfeit_ruled(client)
    upheld(client, "P1")
    assert _verify(keyed) is None
    _execute(keyed, sql)
    broken = _verify(keyed)
    assert broken is not None and broken.kind == kind and "edited" in broken.problem


def test_a_deleted_ledger_entry_is_named(client: TestClient, rt: Runtime) -> None:
    _refund(client, "D1")
    with unit_of_work(rt.factory) as session:
        txn = session.execute(text("SELECT MIN(txn_id) FROM ledger_entries")).scalar_one()
    _execute(rt, f"DELETE FROM ledger_entries WHERE id = (SELECT MIN(id) FROM ledger_entries WHERE txn_id = {txn})")
    broken = _verify(rt)
    assert broken is not None and broken.kind == "ledger" and broken.ref == str(txn)


def test_a_deleted_link_in_the_middle_is_named(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "D2")
    chain = audit.chain_of(f"case:{case}")
    _execute(rt, "DELETE FROM audit_links WHERE chain = :c AND seq = 2", c=chain)
    broken = _verify(rt)
    assert broken is not None and (broken.chain, broken.seq) == (chain, 2) and "deleted" in broken.problem


def test_a_row_written_around_the_chains_is_named(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "E1")
    _execute(
        rt,
        "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, data) "
        f"VALUES ({case}, 99, CURRENT_TIMESTAMP, 'agent', 'mallory', 'withdraw', 'refunded', 'withdrawn', '{{}}')",
    )
    broken = _verify(rt)
    assert broken is not None and broken.ref == f"{case}:99" and "without an audit link" in broken.problem


def test_an_edited_link_is_named(client: TestClient, rt: Runtime) -> None:
    _refund(client, "F1")
    first = _links(rt)[0]
    _execute(rt, "UPDATE audit_links SET digest = :d WHERE chain = :c AND seq = 1", d="0" * 64, c=first.chain)
    broken = _verify(rt)
    assert broken is not None and (broken.chain, broken.seq) == (first.chain, 1)


# --- keys -------------------------------------------------------------------------------------------


def test_keys_rotate_and_old_links_still_verify(client: TestClient, keyed: Runtime) -> None:
    _refund(client, "K1")
    keyed.factory.configure(info={audit.KEYRING: ROTATED, audit.CLOCK: keyed.clock})
    _refund(client, "K2")
    assert {link.key_id for link in _links(keyed)} == {"k1", "k2"}
    assert _verify(keyed) is None
    with unit_of_work(keyed.factory) as session:  # a keyring that lost the old key cannot vouch for its links
        broken = audit.verify(session, keyring=audit.Keyring.parse("k2 a-newer-secret-kept-outside-too"))
    assert broken is not None and "unknown key 'k1'" in broken.problem


def test_links_written_with_another_key_do_not_verify(client: TestClient, rt: Runtime) -> None:
    _refund(client, "K3")  # the development key
    with unit_of_work(rt.factory) as session:
        broken = audit.verify(session, keyring=SECRET)
    assert broken is not None and "unknown key 'dev'" in broken.problem


def test_the_keyring_text_form() -> None:
    ring = audit.Keyring.parse("# rotated 2026-12\nk2 0123456789abcdef0123\nk1:fedcba9876543210fedc\n")
    assert (ring.active, list(ring.keys)) == ("k2", ["k2", "k1"])
    assert audit.Keyring.parse("k3 abc:0123456789abcdef").keys["k3"] == b"abc:0123456789abcdef"
    for bad in ("", "k1 short", "k1 0123456789abcdef\nk1 0123456789abcdef"):
        with pytest.raises(ValueError):
            audit.Keyring.parse(bad)
    assert audit.new_key_line("k3").startswith("k3 ")


# --- the command line -------------------------------------------------------------------------------


def test_the_cli_checkpoints_and_verifies_against_an_exported_checkpoint(
    client: TestClient, rt: Runtime, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "audit.keys"
    keys.write_text("k1 s3cr3t-kept-outside-the-database\n")
    monkeypatch.setenv("PEIFU_AUDIT_KEY_FILE", str(keys))
    rt.factory.configure(info={audit.KEYRING: SECRET, audit.CLOCK: rt.clock})
    _execute(rt, "DELETE FROM audit_links")
    try:
        with unit_of_work(rt.factory) as session:
            audit.adopt(session, rt.clock.now())
        case = _refund(client, "L1")
    finally:
        rt.factory.configure(info={audit.KEYRING: rt.audit_keys, audit.CLOCK: rt.clock})
    runner = CliRunner()
    out = tmp_path / "anchor.json"
    made = runner.invoke(cli, ["audit", "checkpoint", "--database-url", database_url, "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert json.loads(out.read_text())["root"] == json.loads(made.stdout)["root"]
    good = runner.invoke(cli, ["audit", "verify", "--database-url", database_url, "--expect-checkpoint", str(out)])
    assert good.exit_code == 0, good.output
    assert "intact" in good.stdout
    last = _links(rt, "chain = :c", c=audit.chain_of(f"case:{case}"))[-1]
    _execute(rt, "DELETE FROM case_events WHERE case_id = :c AND seq = :s", c=case, s=int(last.ref.split(":")[1]))
    _execute(rt, "DELETE FROM audit_links WHERE chain = :c AND seq = :s", c=last.chain, s=last.seq)
    _execute(rt, "DELETE FROM audit_checkpoints")
    bad = runner.invoke(cli, ["audit", "verify", "--database-url", database_url, "--expect-checkpoint", str(out)])
    assert bad.exit_code == 1
    assert f"chain {last.chain} link {last.seq}" in bad.output


def test_adopt_links_rows_written_before_the_keyed_chains(client: TestClient, rt: Runtime) -> None:
    case = _refund(client, "M1")
    _execute(rt, "DELETE FROM audit_links")  # as after upgrading from the single global chain
    broken = _verify(rt)
    assert broken is not None and "without an audit link" in broken.problem
    with unit_of_work(rt.factory) as session:
        assert audit.adopt(session, rt.clock.now()) > 0
    assert _verify(rt) is None
    assert _links(rt, "kind = 'case' AND ref = :r", r=str(case))


def test_adopt_refuses_when_the_old_chain_is_broken(client: TestClient, rt: Runtime) -> None:
    _refund(client, "M2")
    _execute(
        rt,
        "INSERT INTO audit_log (seq, kind, ref, digest, prev_hash, hash, created_at) "
        "VALUES (1, 'case_event', 'x', :z, :z, :z, CURRENT_TIMESTAMP)",
        z="0" * 64,
    )
    with unit_of_work(rt.factory) as session, pytest.raises(ValueError, match="old audit chain is broken"):
        audit.adopt(session, rt.clock.now())


# --- no global lock ---------------------------------------------------------------------------------


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
    for chain in {link.chain for link in _links(rt)}:
        numbers = [link.seq for link in _links(rt, "chain = :c", c=chain)]
        assert numbers == list(range(1, len(numbers) + 1))


@contextmanager
def _holding_links(rt: Runtime, case_id: int) -> Iterator[Session]:
    """A writer stopped right after appending its links (its chain's lock held), not yet committed."""
    session = rt.factory()
    session.begin()
    ctx = Ctx(session=session, clock=rt.clock, policies=rt.policies, reactions=rt.reactions)
    cases.act(ctx, case_id, CaseAction.agree, Actor(Role.seller, "shop-1"))
    audit._write_links(session)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _two_cases_in_different_chains(client: TestClient, rt: Runtime) -> tuple[int, int]:
    ids: list[int] = []
    for n in range(8):
        order = f"W{n}"
        assert client.post("/api/v1/orders", json=order_body(order)).status_code == 201
        assert client.post(f"/api/v1/orders/{order}/events", json={"kind": "paid"}).status_code == 200
        body = {"order_id": order, "lines": [{"line_no": 1}], "case_type": "refund_only", "reason": "other"}
        ids.append(client.post("/api/v1/cases", json=body, headers=as_buyer()).json()["id"])
        chains = {audit.chain_of(f"case:{i}") for i in ids}
        if len(chains) == 2:
            return ids[0], ids[-1]
    raise AssertionError("eight cases in one chain of 256")


def test_writers_to_different_chains_commit_while_one_holds_its_chain(
    client: TestClient, rt: Runtime, is_postgres: bool
) -> None:
    """Two transactions, each holding its own chain's lock, both commit: nothing global serialises
    them. On PostgreSQL the first one's advisory lock is visible in pg_locks, on its chain alone;
    a writer to that same chain waits for it (and only it)."""
    if not is_postgres:
        pytest.skip("SQLite serialises writers itself; the chains' locks are PostgreSQL's")
    first, second = _two_cases_in_different_chains(client, rt)
    chain = audit.chain_of(f"case:{first}")
    with _holding_links(rt, first) as holder:
        pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with rt.engine.begin() as conn:
            held = conn.execute(
                text("SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory' AND pid = :p AND granted"),
                {"p": pid},
            ).all()
        assert [(int(c), int(o)) for c, o in held] == [(audit.LOCK_CLASS, chain)]
        # the other writer commits a full case action while the first still holds its chain
        other = rt.factory()
        with other.begin():
            other.execute(text("SET LOCAL lock_timeout = '5s'"))
            ctx = Ctx(session=other, clock=rt.clock, policies=rt.policies, reactions=rt.reactions)
            cases.act(ctx, second, CaseAction.agree, Actor(Role.seller, "shop-1"))
        other.close()
        assert _links(rt, "kind = 'case_event' AND ref LIKE :r", r=f"{second}:%")
        # a writer to the same chain waits on the advisory lock, not on anything else
        done = threading.Event()

        def same_chain() -> None:
            with rt.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k, :c)"), {"k": audit.LOCK_CLASS, "c": chain})
            done.set()

        waiter = threading.Thread(target=same_chain)
        waiter.start()
        assert not done.wait(0.5)
        with rt.engine.begin() as conn:
            waits = conn.execute(
                text(
                    "SELECT wait_event FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND pid <> :p AND datname = current_database()"
                ),
                {"p": pid},
            ).all()
        assert [w for (w,) in waits] == ["advisory"]
    waiter.join(10)
    assert done.is_set()
    assert _verify(rt) is None


def test_settings_carry_the_keys(tmp_path: Path, rt: Runtime) -> None:
    keys = tmp_path / "keys"
    keys.write_text("k9 0123456789abcdef0123456789\n")
    ring = audit.Keyring.configured(str(keys), None)
    assert ring.active == "k9" and not ring.development
    assert audit.Keyring.configured(None, None).development
    assert replace(rt.settings, audit_keys="k8 0123456789abcdef01").audit_keys is not None


def test_the_worker_signs_checkpoints_and_writes_them_outside(client: TestClient, rt: Runtime, tmp_path: Path) -> None:
    from peifu.adapters.worker import Worker

    _refund(client, "N1")
    settings = rt.settings
    rt.settings = replace(settings, audit_checkpoint_minutes=5, audit_checkpoint_dir=str(tmp_path))
    try:
        worker = Worker(rt)
        cp = worker.checkpoint_if_due()
        assert cp is not None and worker.checkpoint_if_due() is None  # not due again for 5 minutes
    finally:
        rt.settings = settings
    [written] = tmp_path.glob("audit-checkpoint-*.json")
    assert json.loads(written.read_text()) == cp
    assert _verify(rt, cp) is None


# --- the same attacks against the chain before issue 15 ---------------------------------------------


def _legacy_chain(rt: Runtime) -> None:
    """The old global chain (audit_log) over today's case events, built as the old engine did."""
    with unit_of_work(rt.factory) as session:
        prev = audit.GENESIS
        for seq, event in enumerate(session.scalars(select(CaseEvent).order_by(CaseEvent.id)), start=1):
            ref, record_digest = f"{event.case_id}:{event.seq}", audit.digest(audit.case_event_record(event))
            link = audit._legacy_link(prev, "case_event", ref, record_digest)
            session.execute(
                text(
                    "INSERT INTO audit_log (seq, kind, ref, digest, prev_hash, hash, created_at) "
                    "VALUES (:s, 'case_event', :r, :d, :p, :h, CURRENT_TIMESTAMP)"
                ),
                {"s": seq, "r": ref, "d": record_digest, "p": prev, "h": link},
            )
            prev = link


def test_the_old_chain_was_fooled_by_the_attacks_the_new_one_names(client: TestClient, keyed: Runtime) -> None:
    case = _refund(client, "O1")
    ruled = _counterfeit_ruled(client)
    _legacy_chain(keyed)
    with unit_of_work(keyed.factory) as session:
        assert audit.verify_legacy(session) is None
    # an edited event, its old link and every later one recomputed with the old functions
    _execute(keyed, "UPDATE case_events SET to_state = 'closed' WHERE case_id = :c AND seq = 2", c=case)
    _execute(keyed, "DELETE FROM audit_log")
    _legacy_chain(keyed)
    # a flipped ruling and a redirected payout: the old chain did not cover them
    _execute(keyed, "UPDATE rulings SET outcome = 'support_seller'")
    _execute(keyed, "UPDATE outbox SET buyer_id = 'mallory' WHERE case_id = :c", c=ruled)
    with unit_of_work(keyed.factory) as session:
        assert audit.verify_legacy(session) is None  # the old verify: "intact"
    broken = _verify(keyed)
    assert broken is not None and "edited" in broken.problem


def test_verify_in_several_processes_on_one_snapshot(client: TestClient, keyed: Runtime, is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("several processes share one snapshot on PostgreSQL only")
    _refund(client, "J1")
    _counterfeit_ruled(client)
    snapshot = keyed.engine.execution_options(isolation_level="REPEATABLE READ")

    def verify_in(jobs: int) -> audit.Break | None:
        with Session(snapshot, info={audit.KEYRING: SECRET}) as session, session.begin():
            return audit.verify(session, jobs=jobs)

    assert verify_in(2) is None
    _execute(keyed, "UPDATE outbox SET buyer_id = 'mallory'")
    broken = verify_in(2)
    assert broken is not None and broken.kind == "outbox"
    assert broken == verify_in(1)
