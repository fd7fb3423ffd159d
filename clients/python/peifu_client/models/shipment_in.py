from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="ShipmentIn")



@_attrs_define
class ShipmentIn:
    """ 
        Attributes:
            courier (str):
            tracking_no (str):
            shipping_fee_fen (int | Unset): What the sender paid the courier; for returns, reimbursed by whoever is at
                fault. Default: 0.
     """

    courier: str
    tracking_no: str
    shipping_fee_fen: int | Unset = 0





    def to_dict(self) -> dict[str, Any]:
        courier = self.courier

        tracking_no = self.tracking_no

        shipping_fee_fen = self.shipping_fee_fen


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "courier": courier,
            "tracking_no": tracking_no,
        })
        if shipping_fee_fen is not UNSET:
            field_dict["shipping_fee_fen"] = shipping_fee_fen

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        courier = d.pop("courier")

        tracking_no = d.pop("tracking_no")

        shipping_fee_fen = d.pop("shipping_fee_fen", UNSET)

        shipment_in = cls(
            courier=courier,
            tracking_no=tracking_no,
            shipping_fee_fen=shipping_fee_fen,
        )

        return shipment_in

