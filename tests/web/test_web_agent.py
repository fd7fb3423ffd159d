"""The agent desk through its pages, with real log-ins: the queue, the case file, rulings and appeals.

An agent sees disputes only (a case that never went to intervention is a 404, as in the API); a
ruling given through the form moves the case and the ledger exactly as the API's ruling does.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from peifu.adapters.runtime import Runtime
from peifu.db.models import Case, Dispute, LedgerEntry, LedgerTransaction, OutboxMessage
from peifu.domain import ledger as accounts
from peifu.domain.abuse import Signal, SignalCode
from peifu.domain.actors import Actor
from peifu.domain.clock import ManualClock
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import CaseAction, CaseType, OrderEventKind, Reason, Role
from peifu.services import abuse, complaints, disputes, ledger
from peifu.services.inputs import AppealIn, ComplaintIn, PenaltyAppealIn, RefuseIn
from tests import builders
from tests.web_support import World, _events, _open, _order, build, login

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(rt: Runtime) -> World:
    return build(rt)


def _case(rt: Runtime, case_id: int) -> Case:
    with rt.uow() as ctx:
        case = ctx.session.get(Case, case_id)
        assert case is not None
        ctx.session.expunge(case)
        return case


def _dispute_status(rt: Runtime, dispute_id: int) -> str:
    with rt.uow() as ctx:
        dispute = ctx.session.get(Dispute, dispute_id)
        assert dispute is not None
        return dispute.status


def _ledger_kinds(rt: Runtime, case_id: int) -> list[str]:
    with rt.uow() as ctx:
        return [t.kind for t in ledger.transactions_for_case(ctx.session, case_id)]


def test_the_queue_lists_disputes_only_with_their_deadline(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-01")
    page = web.get("/agent")
    assert page.status_code == 200
    rows = re.findall(r'data-testid="dispute-row" data-dispute="(\d+)" data-case="(\d+)"', page.text)
    assert rows == [(str(world.dispute_id), str(world.disputed_case))]
    with rt.uow() as ctx:
        dispute = ctx.session.get(Dispute, world.dispute_id)
        assert dispute is not None
        due = dispute.evidence_deadline.isoformat()
    assert f'data-due="{due}"' in page.text  # the live countdown counts to the evidence deadline
    assert "W-OPEN" not in page.text and "W-REFUND" not in page.text
    assert "介入工单队列" in page.text  # zh-CN by default
    english = web.get("/agent?lang=en")
    assert "Dispute queue" in english.text and "介入工单队列" not in english.text


def test_the_case_file_shows_both_sides_the_burden_of_proof_and_the_guidance(
    rt: Runtime, world: World, web: TestClient
) -> None:
    with rt.uow() as ctx:
        buyer, seller = Actor(Role.buyer, "buyer-wang"), Actor(Role.seller, "shop-lining")
        disputes.add_evidence(ctx, world.dispute_id, buyer, EvidenceKind.text, text="鞋底开胶的照片说明")
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
        disputes.add_evidence(ctx, world.dispute_id, seller, EvidenceKind.image, content=png, content_type="image/png")
    login(web, "xiaoer-01")
    page = web.get(f"/agent/disputes/{world.dispute_id}")
    assert page.status_code == 200, page.text
    buyer_side = page.text.split('data-testid="buyer-side"')[1].split('data-testid="seller-side"')[0]
    seller_side = page.text.split('data-testid="seller-side"')[1].split('data-testid="burden-of-proof"')[0]
    assert "鞋底开胶的照片说明" in buyer_side and "鞋子开胶了" in buyer_side
    assert "image/png" in seller_side and "出库前已质检" in seller_side
    duties = re.findall(r'data-testid="duty" data-party="(\w+)" data-met="(\w+)"', page.text)
    # the buyer owes photos or video of the problem (a statement does not carry it); the seller's photo does
    assert duties == [("buyer", "false"), ("seller", "true")]
    assert "买家以描述不符/质量问题申请，卖家无凭证拒绝" in page.text  # seed 004 guidance
    assert 'data-testid="abuse-signals"' not in page.text  # shown only when there are signals
    assert 'data-testid="ruling-form"' in page.text
    english = web.get(f"/agent/disputes/{world.dispute_id}?lang=en")
    assert "the goods have the problem claimed" in english.text
    assert "A goods-problem reason refused by the seller" in english.text


def test_the_case_file_guidance_follows_the_proof_on_file(rt: Runtime, world: World, web: TestClient) -> None:
    """Seed 004: 「如产品的买家提供有效凭证，证明是假货，那么最终会支持到仅退款」. The desk shows the
    counterfeit precedent without proof (return and refund, the refusing seller counted in the dispute
    rate) until the buyer puts a brand appraisal on file; then the guidance and the ruling form it
    pre-fills follow the proof, and the agent still judges whether it is valid."""
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    _order(rt, "W-FAKE", "shop-lining", "buyer-wang", "shoes", 39900)
    _events(rt, clock, "W-FAKE", OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed)
    case_id = _open(rt, "W-FAKE", "buyer-wang", CaseType.refund_only, Reason.counterfeit, "鞋标做工粗糙，像假货")
    builders.act(rt, case_id, CaseAction.refuse, Actor(Role.seller, "shop-lining"), RefuseIn(reason="正品，有进货凭证"))
    builders.act(rt, case_id, CaseAction.escalate, Actor(Role.buyer, "buyer-wang"))
    with rt.uow() as ctx:
        dispute = disputes.for_case(ctx, case_id)
        assert dispute is not None
        dispute_id = dispute.id
    login(web, "xiaoer-01")
    guidance = web.get(f"/agent/disputes/{dispute_id}").text.split('data-testid="guidance"')[1]
    assert "卖家计入纠纷率" in guidance and "有效凭证" in guidance
    assert '<option value="return_and_refund" selected>' in guidance

    pdf = b"%PDF-1.4\n% brand appraisal: counterfeit\n%%EOF\n"
    with rt.uow() as ctx:
        buyer = Actor(Role.buyer, "buyer-wang")
        disputes.add_evidence(
            ctx, dispute_id, buyer, EvidenceKind.document, content=pdf, content_type="application/pdf"
        )
    guidance = web.get(f"/agent/disputes/{dispute_id}").text.split('data-testid="guidance"')[1]
    assert "买家已提交" in guidance and "仅退款" in guidance
    assert '<option value="refund_only" selected>' in guidance
    english = web.get(f"/agent/disputes/{dispute_id}?lang=en").text
    assert "decides whether it is valid" in english


def test_an_agent_cannot_open_a_case_outside_intervention(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-01")
    assert web.get(f"/agent/cases/{world.disputed_case}").headers["location"] == f"/agent/disputes/{world.dispute_id}"
    for path in (f"/agent/cases/{world.open_case}", f"/agent/cases/{world.refunded_case}", "/agent/cases/999999"):
        resp = web.get(path)
        assert resp.status_code == 404, path
        assert 'data-code="case_not_found"' in resp.text
        assert "W-OPEN" not in resp.text and "W-REFUND" not in resp.text
    assert web.get("/agent/disputes/999999").status_code == 404
    # the API says the same
    assert web.get(f"/api/v1/cases/{world.open_case}").status_code == 404


@pytest.mark.parametrize("user", ["wang", "lining-staff"])
def test_parties_are_refused_the_desk(rt: Runtime, world: World, web: TestClient, user: str) -> None:
    login(web, user)
    assert web.get("/agent").status_code == 403
    assert web.get(f"/agent/disputes/{world.dispute_id}").status_code == 403
    ruled = web.post(
        f"/agent/disputes/{world.dispute_id}/ruling",
        data={"outcome": "support_buyer", "liable_party": "seller", "reasoning": "试图越权判定"},
    )
    assert ruled.status_code == 403
    assert _dispute_status(rt, world.dispute_id) == "evidence"
    assert _case(rt, world.disputed_case).state == "in_intervention"


def test_anonymous_visitors_are_sent_to_the_login(world: World, web: TestClient) -> None:
    resp = web.get(f"/agent/disputes/{world.dispute_id}")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")


def test_a_ruling_through_the_form_refunds_the_buyer_in_the_ledger(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-01")
    assert web.post(f"/agent/disputes/{world.dispute_id}/assign").status_code == 303
    resp = web.post(
        f"/agent/disputes/{world.dispute_id}/ruling",
        data={
            "outcome": "support_buyer",
            "case_type": "refund_only",
            "liable_party": "seller",
            "refund_yuan": "",
            "reasoning": "卖家未能举证商品合格，支持买家仅退款。",
        },
    )
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"] == f"/agent/disputes/{world.dispute_id}"
    case = _case(rt, world.disputed_case)
    assert case.state == "refunded"
    assert _dispute_status(rt, world.dispute_id) == "ruled"
    assert _ledger_kinds(rt, world.disputed_case)[-1] == "refund"
    with rt.uow() as ctx:
        paid_out = ctx.session.scalar(
            select(OutboxMessage.amount_fen).where(OutboxMessage.case_id == world.disputed_case)
        )
        refunded = ctx.session.scalar(
            select(LedgerEntry.amount_fen)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.txn_id)
            .where(LedgerTransaction.case_id == world.disputed_case, LedgerTransaction.kind == "refund")
            .where(LedgerEntry.account == accounts.PAYOUTS_PENDING)
        )
        dispute = ctx.session.get(Dispute, world.dispute_id)
        assert dispute is not None and dispute.assigned_agent == "xiaoer-01"
        assert dispute.rulings[-1].agent_id == "xiaoer-01" and dispute.liable_party == "seller"
    assert paid_out == refunded == 39900
    page = web.get(f"/agent/disputes/{world.dispute_id}")
    assert 'data-testid="ruling" data-outcome="support_buyer"' in page.text
    assert 'data-testid="ledger-row" data-kind="refund"' in page.text
    assert 'data-testid="ruling-form"' not in page.text  # ruled: no second ruling, an appeal is the way
    again = web.post(
        f"/agent/disputes/{world.dispute_id}/ruling",
        data={"outcome": "support_seller", "liable_party": "none", "reasoning": "再判一次"},
        headers=HTMX,
    )
    assert 'data-code="dispute_already_ruled"' in again.text
    assert _case(rt, world.disputed_case).state == "refunded"


def test_a_bad_ruling_is_a_clear_error_and_changes_nothing(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-01")
    before = _ledger_kinds(rt, world.disputed_case)
    cases = [
        ({"outcome": "split", "liable_party": "seller", "reasoning": "各退一步"}, "validation_failed"),  # no amount
        (
            {"outcome": "split", "liable_party": "seller", "reasoning": "x" * 3, "refund_yuan": "12.345"},
            "amount_invalid",
        ),
        ({"outcome": "support_buyer", "liable_party": "nobody", "reasoning": "理由"}, "validation_failed"),
        (
            {"outcome": "support_buyer", "liable_party": "seller", "reasoning": "超额", "refund_yuan": "999"},
            None,  # more than was paid: the case engine refuses it
        ),
    ]
    for form, code in cases:
        flash = web.post(f"/agent/disputes/{world.dispute_id}/ruling", data=form, headers=HTMX)
        assert flash.status_code == 200
        assert 'class="error"' in flash.text, form
        if code:
            assert f'data-code="{code}"' in flash.text, (form, flash.text)
        page = web.post(f"/agent/disputes/{world.dispute_id}/ruling", data=form)
        assert page.status_code in (403, 409, 422), (form, page.status_code)
        assert 'data-testid="case-file"' in page.text and 'role="alert"' in page.text
    assert _dispute_status(rt, world.dispute_id) == "evidence"
    assert _case(rt, world.disputed_case).state == "in_intervention"
    assert _ledger_kinds(rt, world.disputed_case) == before


def test_a_partial_ruling_in_yuan(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-02")
    resp = web.post(
        f"/agent/disputes/{world.dispute_id}/ruling",
        data={"outcome": "split", "liable_party": "seller", "refund_yuan": "120.50", "reasoning": "轻微开胶，部分退款"},
        headers=HTMX,
    )
    assert resp.headers.get("HX-Redirect") == f"/agent/disputes/{world.dispute_id}", resp.text
    with rt.uow() as ctx:
        dispute = ctx.session.get(Dispute, world.dispute_id)
        assert dispute is not None
        assert dispute.rulings[-1].refund_amount_fen == 12050


def test_an_appeal_is_decided_by_another_agent(rt: Runtime, world: World, web: TestClient) -> None:
    login(web, "xiaoer-01")
    web.post(
        f"/agent/disputes/{world.dispute_id}/ruling",
        data={"outcome": "support_seller", "liable_party": "none", "reasoning": "买家未举证质量问题"},
    )
    assert _case(rt, world.disputed_case).state == "closed"
    with rt.uow() as ctx:
        disputes.appeal(
            ctx,
            world.dispute_id,
            Actor(Role.buyer, "buyer-wang"),
            AppealIn(reason="补充开胶照片", evidence_text="鞋底开胶 3 厘米，附质检报告"),
        )
    queue = web.get("/agent?view=appealed")
    assert f'data-dispute="{world.dispute_id}"' in queue.text
    own = web.get(f"/agent/disputes/{world.dispute_id}")
    assert 'data-testid="appeal-form"' not in own.text  # the agent who ruled does not review
    refused = web.post(
        f"/agent/disputes/{world.dispute_id}/appeal-decision",
        data={"decision": "upheld", "appeal_reasoning": "维持"},
        headers=HTMX,
    )
    assert 'data-code="same_agent"' in refused.text
    login(web, "xiaoer-02")
    page = web.get(f"/agent/disputes/{world.dispute_id}")
    assert 'data-testid="appeal-form"' in page.text and "补充开胶照片" in page.text
    decided = web.post(
        f"/agent/disputes/{world.dispute_id}/appeal-decision",
        data={
            "decision": "replaced",
            "appeal_reasoning": "新证据表明商品存在质量问题",
            "outcome": "support_buyer",
            "case_type": "refund_only",
            "liable_party": "seller",
            "reasoning": "改判：支持买家仅退款",
        },
    )
    assert decided.status_code == 303, decided.text
    assert _dispute_status(rt, world.dispute_id) == "final"
    assert "refund" in _ledger_kinds(rt, world.disputed_case)
    with rt.uow() as ctx:
        assert ledger.balance(ctx.session, accounts.PAYOUTS_PENDING) >= 39900


def test_notes_and_sharing(rt: Runtime, world: World, web: TestClient) -> None:
    with rt.uow() as ctx:
        seller = Actor(Role.seller, "shop-lining")
        evidence = disputes.add_evidence(ctx, world.dispute_id, seller, EvidenceKind.chat_log, text="买家：好的不退了")
        evidence_id = evidence.id
    login(web, "xiaoer-01")
    assert web.post(f"/agent/evidence/{evidence_id}/share").status_code == 303
    note = web.post(f"/agent/disputes/{world.dispute_id}/note", data={"kind": "logistics", "text": "快递确认已签收"})
    assert note.status_code == 303
    with rt.uow() as ctx:
        dispute = ctx.session.get(Dispute, world.dispute_id)
        assert dispute is not None
        seen_by_buyer = disputes.visible_evidence(ctx, dispute, Actor(Role.buyer, "buyer-wang"))
        assert {e.text for e in seen_by_buyer} == {"买家：好的不退了", "快递确认已签收"}
    empty = web.post(f"/agent/disputes/{world.dispute_id}/note", data={"text": " "}, headers=HTMX)
    assert 'data-code="evidence_empty"' in empty.text


def test_abuse_signals_are_shown_when_there_are_some(
    rt: Runtime, world: World, web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    def signals_for_dispute(ctx: object, dispute_id: int) -> list[Signal]:
        seen.append(dispute_id)
        return [
            Signal(
                code=SignalCode.reason_switching,
                subject="buyer",
                subject_id="buyer-wang",
                score=80,
                window_days=30,
                figures={"switches": 3},
                thresholds={"min_switches": 2},
                explanation_zh="被拒绝后 3 次改理由再申请",
                explanation_en="3 requests re-filed with another reason after a refusal",
                case_ids=(world.disputed_case,),
            )
        ]

    monkeypatch.setattr(abuse, "signals_for_dispute", signals_for_dispute)
    login(web, "xiaoer-01")
    page = web.get(f"/agent/disputes/{world.dispute_id}")
    assert seen == [world.dispute_id]
    section = page.text.split('data-testid="abuse-signals"')[1].split("</section>")[0]
    assert 'data-code="reason_switching"' in section and "拒绝后改理由再申请" in section
    assert "被拒绝后 3 次改理由再申请" in section and "80/100" in section
    english = web.get(f"/agent/disputes/{world.dispute_id}?lang=en")
    assert "3 requests re-filed with another reason after a refusal" in english.text


def test_rule_complaints_are_decided_and_appealed_on_the_desk(rt: Runtime, world: World, web: TestClient) -> None:
    _order(rt, "W-INVOICE", "shop-lining", "buyer-wang", "shoes", 29900)
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    delivered = (OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed, OrderEventKind.confirmed)
    _events(rt, clock, "W-INVOICE", *delivered)
    with rt.uow() as ctx:
        body = ComplaintIn(
            order_id="W-INVOICE", violation="invoice_refused", description="卖家拒开发票，要求我承担税点"
        )
        complaint_id = complaints.file(ctx, Actor(Role.buyer, "buyer-wang"), body).id
    login(web, "xiaoer-01")
    queue = web.get("/agent/complaints")
    assert queue.status_code == 200
    assert re.findall(r'data-testid="complaint-row" data-complaint="(\d+)"', queue.text) == [str(complaint_id)]
    assert "拒开发票" in queue.text and "6 分" in queue.text  # the points from the policy
    assert web.get("/agent/complaints?lang=en").text.count("6 points") >= 1
    missing = web.post(f"/agent/complaints/{complaint_id}/decision", data={"reasoning": "未选择"}, headers=HTMX)
    assert 'data-code="decision_required"' in missing.text
    decided = web.post(
        f"/agent/complaints/{complaint_id}/decision",
        data={"upheld": "yes", "violation": "invoice_refused", "reasoning": "卖家聊天中承认拒开发票"},
    )
    assert decided.status_code == 303, decided.text
    with rt.uow() as ctx:
        record = complaints.record(ctx, "shop-lining", Actor(Role.seller, "shop-lining"))
        assert record.points == 6
        complaints.appeal(ctx, complaint_id, Actor(Role.seller, "shop-lining"), PenaltyAppealIn(reason="发票已开具"))
    appealed = web.get("/agent/complaints?view=appealed")
    assert f'data-complaint="{complaint_id}"' in appealed.text
    assert 'data-testid="penalty-appeal-form"' not in appealed.text  # the deciding agent does not review
    login(web, "xiaoer-02")
    review = web.post(
        f"/agent/complaints/{complaint_id}/appeal-decision", data={"overturn": "yes", "reasoning": "发票开具记录属实"}
    )
    assert review.status_code == 303, review.text
    with rt.uow() as ctx:
        assert complaints.record(ctx, "shop-lining", Actor(Role.seller, "shop-lining")).points == 0
        assert complaints.get(ctx, complaint_id).status == "overturned"
    login(web, "lining-staff")
    assert web.get("/agent/complaints").status_code == 403


def test_the_queue_sorts_by_deadline_or_by_the_triage_priority(rt: Runtime, world: World, web: TestClient) -> None:
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    _order(rt, "W-SECOND", "shop-lining", "buyer-li", "shoes", 9900)
    _events(rt, clock, "W-SECOND", OrderEventKind.paid, OrderEventKind.shipped, OrderEventKind.signed)
    second = _open(rt, "W-SECOND", "buyer-li", CaseType.refund_only, Reason.damaged, "外包装破损，商品摔坏了")
    builders.act(rt, second, CaseAction.refuse, Actor(Role.seller, "shop-lining"), RefuseIn(reason="发货时完好"))
    builders.act(rt, second, CaseAction.escalate, Actor(Role.buyer, "buyer-li"))
    with rt.uow() as ctx:
        first_case = ctx.session.get(Case, world.disputed_case)
        second_case = ctx.session.get(Case, second)
        assert first_case is not None and second_case is not None
        first_case.triage_priority, second_case.triage_priority = "low", "urgent"
    login(web, "xiaoer-01")

    def order(sort: str) -> list[str]:
        page = web.get(f"/agent?sort={sort}")
        return re.findall(r'data-testid="dispute-row" data-dispute="\d+" data-case="(\d+)"', page.text)

    assert order("deadline") == [str(world.disputed_case), str(second)]  # the earlier evidence deadline first
    assert order("priority") == [str(second), str(world.disputed_case)]  # urgent before low
    page = web.get("/agent?sort=priority&lang=en")
    assert re.findall(r'data-priority="(\w+)">(\w+)<', page.text) == [("urgent", "Urgent"), ("low", "Low")]
