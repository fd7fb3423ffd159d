"""Who bears each shipping leg: 谁过错，谁承担 — whoever is at fault pays.

* The seller at fault (quality, description, counterfeit, damage, wrong or missing items, no
  delivery, not shipping): the seller pays both legs.
* seven_day_no_reason or another buyer-side reason: with free_shipping each side pays its own leg
  (the seller the outbound, the buyer the return); without it the buyer pays both.
* Refused delivery without a reason: the buyer pays, and the seller must prove the goods were as
  sent. With a reason (e.g. damaged parcel): the seller pays, and the buyer must prove the reason.
* Shipping insurance (运费险), where the order has it, pays the return leg whoever is liable.
* The return leg is the postage the buyer paid to send goods back. It is settled on the request
  types the policy lists (`shipping.return_postage_case_types`: return_and_refund, exchange and
  repair — seed 001: 「商品存在質量問題,如與描述不符、功能故障等,商家需承擔退換貨的運費」): with the refund,
  or, for goods that come back to be exchanged or repaired, when the seller confirms it has them.

The reason here is the one the parties agreed on or the agent ruled on (a proposal can change it:
协商修改退款原因); seed 004: 「最终结果【如运费承担方】以消费者协商为准，不以申请理由为准」.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from peifu.domain.money import Fen
from peifu.domain.vocabulary import CaseType, Reason

SELLER_FAULT_REASONS = frozenset(
    {
        Reason.quality_problem,
        Reason.not_as_described,
        Reason.counterfeit,
        Reason.damaged,
        Reason.wrong_item,
        Reason.missing_items,
        Reason.not_received,
        Reason.late_shipment,
        Reason.out_of_stock,
        Reason.invoice_problem,
    }
)


@dataclass(frozen=True)
class ShippingLiability:
    outbound_payer: str  # seller | buyer: who finally bears the outbound fee the buyer paid
    return_payer: str  # seller | buyer | insurer
    proof_owed_by: str | None  # for refused deliveries: who must prove their side
    basis: str


def liability(
    reason: Reason,
    *,
    free_shipping: bool,
    shipping_insurance: bool,
    refused_delivery: bool = False,
    refusal_reason_given: bool = False,
) -> ShippingLiability:
    proof: str | None = None
    if refused_delivery:
        if refusal_reason_given:
            outbound, ret, proof, basis = "seller", "seller", "buyer", "delivery refused with a reason: the seller pays"
        else:
            outbound, ret, proof, basis = (
                "buyer",
                "buyer",
                "seller",
                "delivery refused without a reason: the buyer pays",
            )
    elif reason in SELLER_FAULT_REASONS:
        outbound, ret, basis = "seller", "seller", f"{reason} is the seller's fault: the seller pays both legs"
    elif free_shipping:
        outbound, ret, basis = "seller", "buyer", "free shipping, no fault: each side pays its own leg"
    else:
        outbound, ret, basis = "buyer", "buyer", "no free shipping, no fault: the buyer pays both legs"
    if shipping_insurance:
        ret = "insurer"
        basis += "; shipping insurance pays the return leg"
    return ShippingLiability(outbound_payer=outbound, return_payer=ret, proof_owed_by=proof, basis=basis)


def return_postage(
    case_type: CaseType | str, fee: Fen, shipping: ShippingLiability, settled_on: Collection[str]
) -> tuple[Fen, str]:
    """The part of the buyer's return postage `fee` paid back to the buyer, and who bears the fee:
    (fee, seller | insurer), or (0, buyer) when the buyer bears it; (0, "") when this request type
    does not settle return postage (policy shipping.return_postage_case_types)."""
    if fee <= 0 or str(case_type) not in settled_on:
        return 0, ""
    if shipping.return_payer == "buyer":
        return 0, "buyer"
    return fee, shipping.return_payer
