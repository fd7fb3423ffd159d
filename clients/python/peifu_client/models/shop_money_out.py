from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ShopMoneyOut")



@_attrs_define
class ShopMoneyOut:
    """ 
        Attributes:
            shop_id (str):
            deposit_fen (int): 保证金 the deposit compensations are charged to
            debt_fen (int): Owed to the platform where the deposit ran short; settled by the next top-up
            balance_fen (int): Settled sales
     """

    shop_id: str
    deposit_fen: int
    debt_fen: int
    balance_fen: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        shop_id = self.shop_id

        deposit_fen = self.deposit_fen

        debt_fen = self.debt_fen

        balance_fen = self.balance_fen


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "shop_id": shop_id,
            "deposit_fen": deposit_fen,
            "debt_fen": debt_fen,
            "balance_fen": balance_fen,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shop_id = d.pop("shop_id")

        deposit_fen = d.pop("deposit_fen")

        debt_fen = d.pop("debt_fen")

        balance_fen = d.pop("balance_fen")

        shop_money_out = cls(
            shop_id=shop_id,
            deposit_fen=deposit_fen,
            debt_fen=debt_fen,
            balance_fen=balance_fen,
        )


        shop_money_out.additional_properties = d
        return shop_money_out

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
