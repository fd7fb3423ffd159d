"""Platform intervention (小二介入): who must prove what, what the seed patterns suggest, and what
happens when the evidence deadline passes.

谁主张，谁举证 — the party asserting a fact proves it. `burden_of_proof` turns a case's facts into
the list of facts each side owes; `guidance` turns them into the outcome the platform's own
precedents point to (seed 004 "介入后的判定走向"), following the proof on file; `default_ruling`
decides a dispute whose evidence deadline passed with a party's proof missing: against that party.

Guidance is advice to the agent, never a finding: the agent's ruling is. It names the liable
party the precedent names — the seller who refused a goods-problem return (描述不符/质量问题/假货:
「商家计入纠纷率，且判定支持到退货退款」) — and the refused-delivery rule of seed 003 (「如果是买家无理由
拒签，运费由买家承担，需要商家举证」; with a reason, the seller pays and the buyer proves it) before the
precedents about goods the buyer kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from peifu.domain.errors import Ineligible
from peifu.domain.money import Fen, allocate
from peifu.domain.policy import InterventionRules
from peifu.domain.vocabulary import CaseType, Reason

GOODS_PROBLEM_REASONS = frozenset({Reason.not_as_described, Reason.quality_problem, Reason.counterfeit, Reason.damaged})
NO_GOODS_PROBLEM_REASONS = frozenset(
    {Reason.no_longer_wanted, Reason.ordered_by_mistake, Reason.other, Reason.seven_day_no_reason}
)


class EvidenceKind(StrEnum):
    text = "text"
    chat_log = "chat_log"
    logistics = "logistics"
    image = "image"
    video = "video"
    document = "document"


class Outcome(StrEnum):
    support_buyer = "support_buyer"  # refund (refund_only or return_and_refund), full or partial
    support_seller = "support_seller"  # close the case
    split_ = "split"  # a partial refund both can live with (`split` is a str method)


class Liable(StrEnum):
    seller = "seller"
    buyer = "buyer"
    courier = "courier"
    none = "none"


@dataclass(frozen=True)
class ProofDuty:
    party: str  # buyer | seller
    fact_zh: str
    fact_en: str
    proof: tuple[str, ...]  # kinds of proof that would carry it


@dataclass(frozen=True)
class DisputeFacts:
    """What the rules need to know about the escalated case."""

    case_type: CaseType
    reason: Reason
    seller_refused: bool
    seller_refused_return: bool  # the seller signed for the returned goods, then rejected them
    refused_delivery: bool
    refused_delivery_reason_given: bool
    agreed_before: bool  # chat or proposal shows the seller had agreed to this
    # The seller agreed to an exchange, repair or reship (and has any goods back) but did not ship
    # the replacement in time: the buyer's claim is admitted, only the seller has something to prove.
    replacement_not_shipped: bool = False
    # The buyer's evidence of the kinds that prove counterfeit (abuse.counterfeit_proof_kinds: a
    # brand appraisal or quality report), by id: on file, not yet judged valid.
    proof_on_file: tuple[int, ...] = ()


def burden_of_proof(facts: DisputeFacts) -> list[ProofDuty]:
    if facts.replacement_not_shipped:
        return [
            ProofDuty(
                "seller",
                "换货/维修/补发件已按约定发出（物流记录）",
                "the replacement was shipped as agreed (logistics record)",
                ("logistics", "document"),
            )
        ]
    duties: list[ProofDuty] = []
    if facts.refused_delivery:
        # The parcel went back to the seller: the refused-delivery rule decides, not the reason's
        # precedents about goods the buyer has (seed 003: 无理由拒签…需要商家举证; 有理由拒签…需要由买家举证).
        if facts.refused_delivery_reason_given:
            return [
                ProofDuty(
                    "buyer",
                    "拒签理由属实（如外包装破损）",
                    "the reason for refusing delivery is true",
                    ("image", "logistics", "video"),
                )
            ]
        return [
            ProofDuty(
                "seller",
                "买家无理由拒签，商品已退回且发出时完好、与描述相符（物流记录）",
                "the buyer refused the parcel without a reason and it came back; the goods sent were sound and as "
                "described (logistics record)",
                ("logistics", "image", "document"),
            )
        ]
    if facts.reason is Reason.counterfeit:
        duties.append(
            ProofDuty(
                "buyer",
                "商品为假冒品牌：品牌方鉴定、质检报告或卖家自认售假",
                "the goods are counterfeit: a brand appraisal, a quality report or the seller's admission",
                ("document", "chat_log"),
            )
        )
        duties.append(
            ProofDuty(
                "seller",
                "商品来源正规：进货凭证或品牌授权",
                "the goods are genuine: purchase records or brand authorisation",
                ("document",),
            )
        )
    elif facts.reason in GOODS_PROBLEM_REASONS:
        duties.append(
            ProofDuty(
                "buyer",
                "商品存在所述问题（照片或视频）",
                "the goods have the problem claimed (photos or video)",
                ("image", "video"),
            )
        )
        if facts.seller_refused:
            duties.append(
                ProofDuty(
                    "seller",
                    "商品与页面描述一致、质量合格",
                    "the listing and the goods match and are sound",
                    ("image", "document", "video"),
                )
            )
    elif facts.reason in (Reason.missing_items, Reason.wrong_item):
        duties.append(
            ProofDuty(
                "buyer",
                "收到的商品少件或错发（开箱照片或视频）",
                "items were missing or wrong (unboxing photos or video)",
                ("image", "video"),
            )
        )
        duties.append(
            ProofDuty(
                "seller",
                "发货时商品齐全正确（打包记录、称重单）",
                "the parcel was complete and correct (packing record, weight slip)",
                ("image", "logistics", "document"),
            )
        )
    elif facts.reason is Reason.not_received:
        duties.append(
            ProofDuty(
                "seller",
                "商品已妥投（签收凭证、物流记录）",
                "the goods were delivered (signature, logistics record)",
                ("logistics", "document"),
            )
        )
    elif facts.case_type is CaseType.refund_only and facts.reason in NO_GOODS_PROBLEM_REASONS:
        duties.append(
            ProofDuty(
                "buyer",
                "卖家曾同意仅退款（聊天记录）",
                "the seller agreed to a refund without return (chat log)",
                ("chat_log",),
            )
        )
    if facts.seller_refused_return:
        duties.append(
            ProofDuty(
                "seller",
                "退回商品影响二次销售且非签收前已存在",
                "the returned goods are unsellable and were not so before signing",
                ("image", "video", "logistics"),
            )
        )
    if not duties:
        duties.append(ProofDuty("buyer", "申请理由属实", "the stated reason is true", ("text", "image", "chat_log")))
    return duties


@dataclass(frozen=True)
class Guidance:
    outcome: Outcome
    case_type: CaseType | None  # for support_buyer: refund_only or return_and_refund
    liable: Liable
    zh: str
    en: str
    proof_evidence: tuple[int, ...] = ()  # the evidence the guidance follows, for the agent to judge


def guidance(facts: DisputeFacts, rules: InterventionRules) -> Guidance:
    """The precedent the agent is shown for this kind of dispute (seeds 003 and 004)."""
    if facts.replacement_not_shipped:
        return Guidance(
            Outcome.support_buyer,
            CaseType.refund_only,
            Liable.seller,
            "卖家同意换货/维修/补发后未按时发出：支持买家退款，卖家责任。",
            "The seller agreed to an exchange, repair or reship and did not ship it in time: refund the buyer, seller liable.",
        )
    if facts.refused_delivery:
        return refused_delivery_guidance(facts)
    if facts.reason is Reason.counterfeit:
        return counterfeit_guidance(facts, rules)
    if facts.seller_refused_return:
        return Guidance(
            Outcome.support_buyer,
            CaseType.return_and_refund,
            Liable.seller,
            "卖家已签收退货后以货物异常拒绝：支持买家退货退款，卖家责任（应先验货再签收）。",
            "The seller signed for the return, then found it abnormal: refund for the buyer, seller liable (inspect before signing).",
        )
    if facts.reason in GOODS_PROBLEM_REASONS and facts.seller_refused:
        return Guidance(
            Outcome.support_buyer,
            CaseType.return_and_refund,
            Liable.seller,
            "买家以描述不符/质量问题申请，卖家无凭证拒绝：支持退货退款，卖家计入纠纷率。",
            "A goods-problem reason refused by the seller without evidence: return_and_refund, seller liable.",
        )
    if facts.case_type is CaseType.refund_only and facts.reason in NO_GOODS_PROBLEM_REASONS and not facts.agreed_before:
        return Guidance(
            Outcome.support_seller,
            None,
            Liable.none,
            "无商品问题且未事先约定的仅退款：不支持，卖家无责。",
            "refund_only without a goods problem and without prior agreement: not supported, seller not liable.",
        )
    if facts.reason in (Reason.missing_items, Reason.wrong_item, Reason.not_received):
        return Guidance(
            Outcome.support_buyer,
            CaseType.refund_only,
            Liable.seller,
            "少件/错发/未收到：卖家不能证明发货无误或已妥投的，支持买家（可先行赔付）。",
            "Missing, wrong or undelivered goods: unless the seller proves otherwise, support the buyer (advance compensation possible).",
        )
    return Guidance(
        Outcome.support_buyer,
        facts.case_type if facts.case_type.moves_money else CaseType.refund_only,
        Liable.none,
        "按双方举证判定。",
        "Decide on the evidence of both sides.",
    )


def refused_delivery_guidance(facts: DisputeFacts) -> Guidance:
    """Seed 003 关于拒签: 「如果是买家无理由拒签，运费由买家承担，需要商家举证」; 「如果买家是有理由拒签，运费由
    商家承担，需要由买家举证」. The goods went back to the seller: the price is refunded once they are back
    (refund only); the postage follows the reason (domain.shipping_fees, for the money)."""
    if facts.refused_delivery_reason_given:
        return Guidance(
            Outcome.support_buyer,
            CaseType.refund_only,
            Liable.seller,
            "买家有理由拒签（如外包装破损），商品已退回：商品退回卖家后退还货款，运费由卖家承担；买家需举证拒签理由属实。",
            "The buyer refused the parcel with a reason (e.g. a damaged box) and it went back: refund the price once "
            "the goods are back with the seller, the postage on the seller; the buyer proves the reason.",
        )
    return Guidance(
        Outcome.support_buyer,
        CaseType.refund_only,
        Liable.buyer,
        "买家无理由拒签，商品已退回：商品退回卖家后退还货款，运费由买家承担（不退运费）；卖家需举证拒签退回及商品完好。",
        "The buyer refused the parcel without a reason and it went back: refund the price once the goods are back "
        "with the seller, the postage on the buyer (not refunded); the seller proves the refusal, the return and "
        "that the goods were sound.",
    )


def counterfeit_guidance(facts: DisputeFacts, rules: InterventionRules) -> Guidance:
    """Seed 004 on 假货. With the proof the dispute asks for on file: 「如产品的买家提供有效凭证，证明是
    假货，那么最终会支持到仅退款」 — the agent judges the proof. Without it: 「买家也无有效证明是假货…支持到
    退货退款。无其他处罚」, and a seller who refused the return is counted in the dispute rate (「商家计入
    纠纷率，且判定支持到退货退款」; policy intervention.counterfeit_refused_liable) — yet nothing finds
    counterfeit, so no 假一赔十."""
    if facts.proof_on_file:
        ids = "、".join(f"#{i}" for i in facts.proof_on_file)
        ids_en = ", ".join(f"#{i}" for i in facts.proof_on_file)
        return Guidance(
            Outcome.support_buyer,
            CaseType.refund_only,
            Liable.seller,
            f"买家已提交鉴定/质检报告类凭证（证据 {ids}）：如小二认定凭证有效，支持仅退款，卖家责任，并按假货规则赔付；"
            "如认定无效，按无有效凭证处理（支持退货退款）。",
            f"The buyer has put an appraisal or quality report on file (evidence {ids_en}); the agent decides "
            "whether it is valid. If it is: refund_only for the buyer, seller liable, counterfeit compensation "
            "applies; if not, as without valid proof (return_and_refund).",
            facts.proof_on_file,
        )
    if facts.seller_refused and rules.counterfeit_refused_liable.value == "seller":
        return Guidance(
            Outcome.support_buyer,
            CaseType.return_and_refund,
            Liable.seller,
            "假货无有效凭证、卖家拒绝退货：支持退货退款，卖家计入纠纷率；不认定售假，不赔付假一赔十，无其他处罚。",
            "Counterfeit claimed without valid proof and the seller refused the return: return_and_refund, the "
            "seller is liable for the dispute (dispute rate); no finding of counterfeit, no counterfeit "
            "compensation, no other penalty.",
        )
    return Guidance(
        Outcome.support_buyer,
        CaseType.return_and_refund,
        Liable.none,
        "假货无有效凭证：支持退货退款，不认定售假，无其他处罚。",
        "Counterfeit claimed without valid proof: return_and_refund, no finding of counterfeit, no penalty.",
    )


@dataclass(frozen=True)
class DefaultRuling:
    outcome: Outcome
    liable: Liable
    zh: str
    en: str


def default_ruling(duties: list[ProofDuty], submitted_by: set[str]) -> DefaultRuling | None:
    """At the evidence deadline: the party that owed proof and gave none loses.

    When both owed and neither gave any, the claimant (the buyer) loses — 谁主张，谁举证. When every
    party that owed proof gave some, an agent decides: None.
    """
    owed = {duty.party for duty in duties}
    missing = owed - submitted_by
    if not missing:
        return None
    if "buyer" in missing:
        return DefaultRuling(
            Outcome.support_seller,
            Liable.buyer,
            "举证期限届满，买家未提交应承担的举证：不支持买家申请。",
            "The evidence deadline passed without the buyer's proof: the request is not supported.",
        )
    return DefaultRuling(
        Outcome.support_buyer,
        Liable.seller,
        "举证期限届满，卖家未提交应承担的举证：支持买家，卖家责任。",
        "The evidence deadline passed without the seller's proof: the buyer is supported, the seller is liable.",
    )


# What each kind of evidence may be, and how large. Too large → 413, wrong type → 415.
EVIDENCE_LIMITS: dict[EvidenceKind, tuple[frozenset[str], int]] = {
    EvidenceKind.image: (frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}), 10 * 1024 * 1024),
    EvidenceKind.video: (frozenset({"video/mp4", "video/quicktime", "video/webm"}), 50 * 1024 * 1024),
    EvidenceKind.document: (frozenset({"application/pdf", "text/plain"}), 20 * 1024 * 1024),
    EvidenceKind.chat_log: (frozenset({"text/plain", "application/json", "image/png", "image/jpeg"}), 5 * 1024 * 1024),
    EvidenceKind.logistics: (
        frozenset({"text/plain", "application/json", "application/pdf", "image/png", "image/jpeg"}),
        5 * 1024 * 1024,
    ),
    EvidenceKind.text: (frozenset({"text/plain"}), 64 * 1024),
}


def loser_of(outcome: Outcome) -> set[str]:
    """Who may appeal a ruling: the side it went against (either side of a split)."""
    if outcome is Outcome.support_buyer:
        return {"seller"}
    if outcome is Outcome.support_seller:
        return {"buyer"}
    return {"buyer", "seller"}


# --- appeals that change money already paid ----------------------------------------------------------


@dataclass(frozen=True)
class AppealCorrection:
    """What replacing a ruling that already paid the buyer does to the money, per case line."""

    amounts: list[Fen]  # what the new ruling gives the buyer for each line
    to_buyer: list[Fen]  # paid to the buyer now: the new ruling gives more than was paid
    taken_back_fen: Fen  # the new ruling gives less: the buyer keeps it (a payout is not pulled back)
    made_good_fen: Fen  # …and this much of it the platform fund pays the seller (policy)


def appeal_correction(
    paid: Sequence[Fen], room: Sequence[Fen], total: Fen | None, rules: InterventionRules
) -> AppealCorrection:
    """An appeal's ruling on a case whose refund was paid (`paid` per line; `room`: what each line
    can still refund): more to the buyer is paid at once, spread over the room; less is spread back
    over what was paid, and — seed 002's 再次申诉 binding both sides, the buyer keeping what was paid
    out — made good to the seller by the platform fund, or borne by the seller, as the policy
    `intervention.appeal_correction_payer` says. `total` None means everything refundable."""
    before, most = sum(paid), sum(paid) + sum(room)
    wanted = most if total is None else total
    if wanted > most:
        raise Ineligible(
            "amount_exceeds_refundable", f"At most {most} fen can be refunded for these lines.", refundable_fen=most
        )
    if wanted >= before:
        more = allocate(wanted - before, room)
        return AppealCorrection([p + m for p, m in zip(paid, more, strict=True)], more, 0, 0)
    amounts = allocate(wanted, paid)
    taken_back = before - wanted
    made_good = taken_back if rules.appeal_correction_payer.value == "platform_fund" else 0
    return AppealCorrection(amounts, [0 for _ in paid], taken_back, made_good)


def overturned_findings(replaced: Sequence[str], replacing: Sequence[str], still_found: Sequence[str]) -> set[str]:
    """The compensation rules the replaced ruling named that neither the new ruling names nor any
    other finding still establishes (domain.compensation: the order's record, the seller's consent)."""
    return set(replaced) - set(replacing) - set(still_found)
