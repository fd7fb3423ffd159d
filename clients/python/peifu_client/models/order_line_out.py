from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="OrderLineOut")



@_attrs_define
class OrderLineOut:
    """ 
        Attributes:
            line_no (int):
            sku (str):
            title (str):
            category (str):
            unit_price_fen (int):
            quantity (int):
            paid_fen (int):
            refunded_fen (int):
            flags (list[str]):
     """

    line_no: int
    sku: str
    title: str
    category: str
    unit_price_fen: int
    quantity: int
    paid_fen: int
    refunded_fen: int
    flags: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        line_no = self.line_no

        sku = self.sku

        title = self.title

        category = self.category

        unit_price_fen = self.unit_price_fen

        quantity = self.quantity

        paid_fen = self.paid_fen

        refunded_fen = self.refunded_fen

        flags = self.flags




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "line_no": line_no,
            "sku": sku,
            "title": title,
            "category": category,
            "unit_price_fen": unit_price_fen,
            "quantity": quantity,
            "paid_fen": paid_fen,
            "refunded_fen": refunded_fen,
            "flags": flags,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_no = d.pop("line_no")

        sku = d.pop("sku")

        title = d.pop("title")

        category = d.pop("category")

        unit_price_fen = d.pop("unit_price_fen")

        quantity = d.pop("quantity")

        paid_fen = d.pop("paid_fen")

        refunded_fen = d.pop("refunded_fen")

        flags = cast(list[str], d.pop("flags"))


        order_line_out = cls(
            line_no=line_no,
            sku=sku,
            title=title,
            category=category,
            unit_price_fen=unit_price_fen,
            quantity=quantity,
            paid_fen=paid_fen,
            refunded_fen=refunded_fen,
            flags=flags,
        )


        order_line_out.additional_properties = d
        return order_line_out

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
