from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="OrderLineIn")



@_attrs_define
class OrderLineIn:
    """ 
        Attributes:
            sku (str):
            title (str):
            category (str):
            unit_price_fen (int): Amount in fen (1/100 yuan), an integer.
            quantity (int):
            discount_fen (int | Unset): Amount in fen (1/100 yuan), an integer. Default: 0.
            custom_made (bool | Unset):  Default: False.
            perishable (bool | Unset):  Default: False.
            digital (bool | Unset):  Default: False.
            food (bool | Unset): Food-safety goods (Food Safety Law art. 148 applies). Default: False.
     """

    sku: str
    title: str
    category: str
    unit_price_fen: int
    quantity: int
    discount_fen: int | Unset = 0
    custom_made: bool | Unset = False
    perishable: bool | Unset = False
    digital: bool | Unset = False
    food: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        title = self.title

        category = self.category

        unit_price_fen = self.unit_price_fen

        quantity = self.quantity

        discount_fen = self.discount_fen

        custom_made = self.custom_made

        perishable = self.perishable

        digital = self.digital

        food = self.food


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sku": sku,
            "title": title,
            "category": category,
            "unit_price_fen": unit_price_fen,
            "quantity": quantity,
        })
        if discount_fen is not UNSET:
            field_dict["discount_fen"] = discount_fen
        if custom_made is not UNSET:
            field_dict["custom_made"] = custom_made
        if perishable is not UNSET:
            field_dict["perishable"] = perishable
        if digital is not UNSET:
            field_dict["digital"] = digital
        if food is not UNSET:
            field_dict["food"] = food

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        title = d.pop("title")

        category = d.pop("category")

        unit_price_fen = d.pop("unit_price_fen")

        quantity = d.pop("quantity")

        discount_fen = d.pop("discount_fen", UNSET)

        custom_made = d.pop("custom_made", UNSET)

        perishable = d.pop("perishable", UNSET)

        digital = d.pop("digital", UNSET)

        food = d.pop("food", UNSET)

        order_line_in = cls(
            sku=sku,
            title=title,
            category=category,
            unit_price_fen=unit_price_fen,
            quantity=quantity,
            discount_fen=discount_fen,
            custom_made=custom_made,
            perishable=perishable,
            digital=digital,
            food=food,
        )

        return order_line_in

