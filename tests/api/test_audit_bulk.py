"""The audit chains at scale (issue 15: `peifu audit verify` on 1 M cases in minutes): `adopt`'s
streaming linker (`audit.ChainWriter`, COPY on PostgreSQL) — the code path that built the 1 M-case
benchmark database — makes exactly the links the commits make, and `verify` accepts them and
still names a tampered row or link; `verify`'s grouped reads of the links (`kind_passes`) find
the same breaks however the kinds are grouped."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from peifu.adapters.runtime import Runtime
from peifu.db.engine import unit_of_work
from peifu.services import audit
from tests.audit_support import SECRET, _execute, _links, _refund, _verify


def _newest(rt: Runtime) -> dict[tuple[str, str], str]:
    """(kind, ref) → the digest of the row's newest link."""
    return {(link.kind, link.ref): link.digest for link in _links(rt)}


@pytest.fixture
def keyed(rt: Runtime) -> Iterator[Runtime]:
    """The runtime with a real key, as production runs (as in tests/api/test_audit_chain.py)."""
    rt.factory.configure(info={audit.KEYRING: SECRET, audit.CLOCK: rt.clock})
    yield rt
    rt.factory.configure(info={audit.KEYRING: rt.audit_keys, audit.CLOCK: rt.clock})


@pytest.fixture
def bulk_linked(client: TestClient, keyed: Runtime) -> list[int]:
    """Twelve refunded cases whose links were all removed and written again by `adopt` in batches
    of 7 links (many flushes, each continuing chains a flush before left off)."""
    cases = [_refund(client, f"BK{n:02d}") for n in range(12)]
    by_commits = _newest(keyed)
    _execute(keyed, "DELETE FROM audit_links")
    with unit_of_work(keyed.factory) as session:
        linked = audit.adopt(session, keyed.clock.now(), batch=7)
    assert linked == len(_links(keyed)) > 12 * 7
    assert _newest(keyed) == by_commits  # the same records, the same digests as the commits wrote
    return cases


def test_bulk_linked_chains_verify_intact(bulk_linked: list[int], keyed: Runtime) -> None:
    links = _links(keyed)
    chains = {link.chain for link in links}
    assert len(chains) > 10
    for chain in chains:  # numbered from 1 without holes, each following from the one before
        mine = [link for link in links if link.chain == chain]
        assert [link.seq for link in mine] == list(range(1, len(mine) + 1))
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(mine))
    assert _verify(keyed) is None


def test_a_tampered_bulk_linked_row_is_named(bulk_linked: list[int], keyed: Runtime) -> None:
    case = bulk_linked[5]
    _execute(keyed, "UPDATE case_lines SET amount_fen = amount_fen + 1 WHERE case_id = :c", c=case)
    broken = _verify(keyed)
    assert broken is not None and broken.kind == "case_line" and "edited" in broken.problem
    (link,) = _links(keyed, "kind = 'case_line' AND ref = :r", r=broken.ref)
    assert (broken.chain, broken.seq) == (link.chain, link.seq)
    assert link.chain == audit.chain_of(f"case:{case}")


def test_a_tampered_bulk_linked_link_is_named(bulk_linked: list[int], keyed: Runtime) -> None:
    target = _links(keyed, "kind = 'case_event'")[3]
    _execute(
        keyed,
        "UPDATE audit_links SET digest = :d WHERE chain = :c AND seq = :s",
        d="f" * 64,
        c=target.chain,
        s=target.seq,
    )
    broken = _verify(keyed)
    assert broken is not None and (broken.chain, broken.seq) == (target.chain, target.seq)
    assert "does not follow" in broken.problem


@pytest.mark.parametrize("per_pass", [1, 10, 1_000_000])
def test_verify_names_the_same_break_however_the_kinds_are_grouped(
    bulk_linked: list[int], keyed: Runtime, monkeypatch: pytest.MonkeyPatch, per_pass: int
) -> None:
    monkeypatch.setattr(audit, "NEWEST_PER_PASS", per_pass)
    with unit_of_work(keyed.factory) as session:
        passes = audit.kind_passes(session)
    assert sorted(kind for group in passes for kind in group) == sorted(audit.KINDS)
    assert (len(passes) == 1) == (per_pass == 1_000_000)
    assert _verify(keyed) is None
    payouts = _links(keyed, "kind = 'outbox' AND chain = :c", c=audit.chain_of(f"case:{bulk_linked[7]}"))
    with keyed.engine.begin() as conn:
        payout = conn.execute(text("SELECT id FROM outbox WHERE case_id = :c"), {"c": bulk_linked[7]}).scalar_one()
    redirected = max((link.seq, link.chain) for link in payouts if link.ref == str(payout))
    (deleted,) = _links(keyed, "kind = 'case_event' AND ref = :r", r=f"{bulk_linked[2]}:1")
    _execute(keyed, "UPDATE outbox SET buyer_id = 'mallory' WHERE id = :p", p=payout)
    _execute(keyed, "DELETE FROM case_events WHERE case_id = :c AND seq = 1", c=bulk_linked[2])
    broken = _verify(keyed)
    assert broken is not None
    # of the two, the one first in chain order is named, whichever pass read its links
    expected = min((redirected[1], redirected[0], "edited"), (deleted.chain, deleted.seq, "deleted"))
    assert (broken.chain, broken.seq) == expected[:2]
    assert broken.problem == f"the record it covers was {expected[2]}"
