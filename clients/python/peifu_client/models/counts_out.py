from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CountsOut")



@_attrs_define
class CountsOut:
    """ 
        Attributes:
            paid_orders (int): Orders paid in the window, abusive claims left out.
            refund_orders (int): Of those, orders with a request of a rated phase (the refund rate's).
            lost_dispute_orders (int): Of those, orders with a dispute of a rated phase ruled against the seller (the
                dispute rate's).
            resolved_cases (int): Cases that reached a final state in the window.
            self_resolved_cases (int): Of those, cases that never went to intervention.
            responded_cases (int): Cases the seller (or the auto-agree) first answered in the window.
            in_trade_refund_orders (int | Unset): 售中退款: paid orders with a request made while the order was paid or shipped.
                Default: 0.
            post_trade_refund_orders (int | Unset): 售后(交易成功后): paid orders with a request made after the trade completed.
                Default: 0.
            in_trade_lost_dispute_orders (int | Unset): In-trade disputes ruled against the seller. Default: 0.
            post_trade_lost_dispute_orders (int | Unset): Post-trade disputes ruled against the seller. Default: 0.
     """

    paid_orders: int
    refund_orders: int
    lost_dispute_orders: int
    resolved_cases: int
    self_resolved_cases: int
    responded_cases: int
    in_trade_refund_orders: int | Unset = 0
    post_trade_refund_orders: int | Unset = 0
    in_trade_lost_dispute_orders: int | Unset = 0
    post_trade_lost_dispute_orders: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        paid_orders = self.paid_orders

        refund_orders = self.refund_orders

        lost_dispute_orders = self.lost_dispute_orders

        resolved_cases = self.resolved_cases

        self_resolved_cases = self.self_resolved_cases

        responded_cases = self.responded_cases

        in_trade_refund_orders = self.in_trade_refund_orders

        post_trade_refund_orders = self.post_trade_refund_orders

        in_trade_lost_dispute_orders = self.in_trade_lost_dispute_orders

        post_trade_lost_dispute_orders = self.post_trade_lost_dispute_orders


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "paid_orders": paid_orders,
            "refund_orders": refund_orders,
            "lost_dispute_orders": lost_dispute_orders,
            "resolved_cases": resolved_cases,
            "self_resolved_cases": self_resolved_cases,
            "responded_cases": responded_cases,
        })
        if in_trade_refund_orders is not UNSET:
            field_dict["in_trade_refund_orders"] = in_trade_refund_orders
        if post_trade_refund_orders is not UNSET:
            field_dict["post_trade_refund_orders"] = post_trade_refund_orders
        if in_trade_lost_dispute_orders is not UNSET:
            field_dict["in_trade_lost_dispute_orders"] = in_trade_lost_dispute_orders
        if post_trade_lost_dispute_orders is not UNSET:
            field_dict["post_trade_lost_dispute_orders"] = post_trade_lost_dispute_orders

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        paid_orders = d.pop("paid_orders")

        refund_orders = d.pop("refund_orders")

        lost_dispute_orders = d.pop("lost_dispute_orders")

        resolved_cases = d.pop("resolved_cases")

        self_resolved_cases = d.pop("self_resolved_cases")

        responded_cases = d.pop("responded_cases")

        in_trade_refund_orders = d.pop("in_trade_refund_orders", UNSET)

        post_trade_refund_orders = d.pop("post_trade_refund_orders", UNSET)

        in_trade_lost_dispute_orders = d.pop("in_trade_lost_dispute_orders", UNSET)

        post_trade_lost_dispute_orders = d.pop("post_trade_lost_dispute_orders", UNSET)

        counts_out = cls(
            paid_orders=paid_orders,
            refund_orders=refund_orders,
            lost_dispute_orders=lost_dispute_orders,
            resolved_cases=resolved_cases,
            self_resolved_cases=self_resolved_cases,
            responded_cases=responded_cases,
            in_trade_refund_orders=in_trade_refund_orders,
            post_trade_refund_orders=post_trade_refund_orders,
            in_trade_lost_dispute_orders=in_trade_lost_dispute_orders,
            post_trade_lost_dispute_orders=post_trade_lost_dispute_orders,
        )


        counts_out.additional_properties = d
        return counts_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
