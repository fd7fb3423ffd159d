"""Disputes: the parties' evidence, appraisals, agents' rulings, appeals and their decisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

from peifu.adapters.simulation.cast import AGENTS
from peifu.adapters.simulation.engine import SimBase
from peifu.db.models import (
    Case,
    Dispute,
    OrderLine,
)
from peifu.domain.actors import Actor
from peifu.domain.errors import DomainError
from peifu.domain.intervention import EvidenceKind
from peifu.domain.vocabulary import (
    CaseAction,
    CaseState,
    CaseType,
    DisputeStatus,
    Reason,
    Role,
)
from peifu.services import cases, disputes, metrics
from peifu.services.context import Ctx
from peifu.services.inputs import (
    AppealDecisionIn,
    AppealIn,
    RulingIn,
)


class DisputeFlow(SimBase):
    # --- disputes ---------------------------------------------------------------------------------

    def _dispute_steps(self, ctx: Ctx, case: Case) -> None:
        """A case just went to intervention: the parties send proof (or not), an agent rules."""
        rnd = self.rnd
        dispute = disputes.for_case(ctx, case.id)
        assert dispute is not None
        buyer, shop = self.buyer_of_case[case.id], self.shop_of_case[case.id]
        now = ctx.now()
        deadline = dispute.evidence_deadline.replace(tzinfo=dispute.evidence_deadline.tzinfo or UTC)
        if rnd.random() < (0.3 if buyer.abusive else 0.85):
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.8), self._evidence(dispute.id, Role.buyer, buyer.id))
        if rnd.random() < 0.75:
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.9), self._evidence(dispute.id, Role.seller, shop.id))
        if case.reason == Reason.counterfeit and not buyer.abusive and rnd.random() < 0.5:
            self.at(now + (deadline - now) * rnd.uniform(0.1, 0.8), self._appraisal(dispute.id, buyer.id))
        if case.reason in (Reason.not_received, Reason.missing_items) and rnd.random() < 0.3:
            self.at(now + timedelta(hours=rnd.uniform(2, 20)), self._advance(case.id))
        self.at(deadline + timedelta(hours=rnd.uniform(1, 30)), self._rule(dispute.id, case.id))

    def _evidence(self, dispute_id: int, role: Role, party: str) -> Callable[[Ctx], None]:
        text = "订单截图与聊天记录" if role is Role.buyer else "发货单、质检报告与物流签收记录"

        def run(ctx: Ctx) -> None:
            disputes.add_evidence(ctx, dispute_id, Actor(role, party), EvidenceKind.chat_log, text=text)
            self.stats["evidence"] += 1

        return run

    def _appraisal(self, dispute_id: int, buyer_id: str) -> Callable[[Ctx], None]:
        """A brand appraisal report: the proof of counterfeit the dispute asks for (seed 004)."""
        report = b"%PDF-1.4\n% brand appraisal report: not genuine\n%%EOF\n"

        def run(ctx: Ctx) -> None:
            buyer = Actor(Role.buyer, buyer_id)
            disputes.add_evidence(
                ctx, dispute_id, buyer, EvidenceKind.document, content=report, content_type="application/pdf"
            )
            self.stats["evidence"] += 1

        return run

    def _advance(self, case_id: int) -> Callable[[Ctx], None]:
        def run(ctx: Ctx) -> None:
            case = ctx.session.get(Case, case_id)
            if case is None or case.state != CaseState.in_intervention:
                return
            cases.act(ctx, case_id, CaseAction.advance_compensation, Actor(Role.agent, self.rnd.choice(AGENTS)))
            self.stats["action:advance_compensation"] += 1

        return run

    def _rule(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            case = ctx.session.get(Case, case_id)
            assert case is not None
            if (
                dispute.status in (DisputeStatus.evidence, DisputeStatus.review)
                and case.state == CaseState.in_intervention
            ):
                self._agent_rules(ctx, dispute, case)
            elif self.buyer_of_case[case_id].abusive and not case.abusive and rnd.random() < 0.6:
                # ruled by default (no proof): the agent reviewing it still recognises the pattern
                metrics.mark_abusive(ctx, case_id, Actor(Role.agent, rnd.choice(AGENTS)), note="无凭证索赔")
                self.stats["marked_abusive"] += 1
            if dispute.status == DisputeStatus.ruled and rnd.random() < 0.08:
                self.at(ctx.now() + timedelta(days=rnd.uniform(1, 5)), self._appeal(dispute_id, case_id))
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(2, 48)), case_id)  # e.g. ruled to return goods

        return run

    def _agent_rules(self, ctx: Ctx, dispute: Dispute, case: Case) -> None:
        rnd = self.rnd
        buyer = self.buyer_of_case[case.id]
        agent = Actor(Role.agent, rnd.choice(AGENTS))
        guidance = disputes.current_guidance(ctx, dispute)
        if buyer.abusive and rnd.random() < 0.75:
            body = RulingIn(
                outcome="support_seller", liable_party="buyer", reasoning="买家无法提供有效凭证，驳回申请。"
            )
            if rnd.random() < 0.7:  # the agent recognises the pattern and takes the claim out of the metrics
                metrics.mark_abusive(ctx, case.id, agent, note="多次无凭证索赔")
                self.stats["marked_abusive"] += 1
        elif rnd.random() < 0.8 and guidance.get("outcome"):
            outcome = guidance["outcome"]
            case_type = guidance.get("case_type") if outcome != "support_seller" else None
            amount = None
            if outcome == "split":
                amount = max(100, self._refundable(ctx, case) // 2)
            comps = []
            # The agent finds what the evidence shows, not what the reason claims: counterfeit only
            # on the proof the guidance follows (seed 004: 同意退货退款后，并不代表你的产品就是假货).
            if outcome == "support_buyer" and case.reason in ("late_shipment", "out_of_stock"):
                comps = [case.reason]
            elif outcome == "support_buyer" and case.reason == "counterfeit" and guidance.get("proof_evidence"):
                comps = ["counterfeit"]
            body = RulingIn(
                outcome=outcome,
                case_type=CaseType(case_type) if case_type else None,
                refund_amount_fen=amount,
                liable_party=str(guidance.get("liable_party") or ("seller" if outcome != "support_seller" else "none")),
                compensations=comps,
                reasoning="依据举证责任与双方证据作出判定。",
            )
        else:
            amount = max(100, self._refundable(ctx, case) * 3 // 10)
            body = RulingIn(
                outcome="split",
                case_type=CaseType.partial_refund,
                refund_amount_fen=amount,
                liable_party="none",
                reasoning="双方各有责任，部分退款。",
            )
        try:
            with ctx.session.begin_nested():
                disputes.rule(ctx, dispute.id, agent, body)
        except DomainError as exc:  # e.g. a compensation that does not apply: rule without it
            self.stats[f"refused:{exc.code}"] += 1
            plain = body.model_copy(update={"compensations": []})
            disputes.rule(ctx, dispute.id, agent, plain)
        self.stats[f"ruling:{body.outcome}"] += 1

    def _refundable(self, ctx: Ctx, case: Case) -> int:
        line = ctx.session.get(OrderLine, case.lines[0].order_line_id)
        assert line is not None
        return max(0, line.paid_fen - line.refunded_fen)

    def _appeal(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            if dispute.status != DisputeStatus.ruled or not dispute.rulings:
                return
            ruling = dispute.rulings[-1]
            party = Role.buyer if ruling.outcome == "support_seller" else Role.seller
            who = dispute.buyer_id if party is Role.buyer else dispute.shop_id
            disputes.appeal(ctx, dispute_id, Actor(party, who), AppealIn(reason="有新的证据", evidence_text="补充凭证"))
            self.stats["appeals"] += 1
            self.at(ctx.now() + timedelta(days=rnd.uniform(1, 4)), self._decide_appeal(dispute_id, case_id))

        return run

    def _decide_appeal(self, dispute_id: int, case_id: int) -> Callable[[Ctx], None]:
        rnd = self.rnd

        def run(ctx: Ctx) -> None:
            dispute = disputes.get(ctx, dispute_id)
            first = dispute.rulings[-1]
            reviewer = Actor(Role.agent, next(a for a in AGENTS if a != first.agent_id))
            if rnd.random() < 0.75:
                body = AppealDecisionIn(decision="upheld", reasoning="新证据不足以推翻原判定")
            else:
                body = AppealDecisionIn(
                    decision="replaced",
                    reasoning="复核后改判",
                    ruling=RulingIn(outcome="support_seller", liable_party="none", reasoning="复核：证据不足，驳回"),
                )
                if first.outcome == "support_seller":
                    ruling = RulingIn(outcome="support_buyer", liable_party="seller", reasoning="复核：支持买家")
                    body = body.model_copy(update={"ruling": ruling})
            disputes.decide_appeal(ctx, dispute_id, reviewer, body)
            self.stats[f"appeal:{body.decision}"] += 1
            self._poll_at(ctx.now() + timedelta(hours=rnd.uniform(2, 48)), case_id)

        return run
