from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CompensationOut")



@_attrs_define
class CompensationOut:
    """ 
        Attributes:
            rule (str):
            amount_fen (int):
            payout_method (str):
            payer (str):
            policy_version (str):
            basis (str): How the amount was reached, in words.
            recovered_from_seller (bool):
     """

    rule: str
    amount_fen: int
    payout_method: str
    payer: str
    policy_version: str
    basis: str
    recovered_from_seller: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        rule = self.rule

        amount_fen = self.amount_fen

        payout_method = self.payout_method

        payer = self.payer

        policy_version = self.policy_version

        basis = self.basis

        recovered_from_seller = self.recovered_from_seller


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "rule": rule,
            "amount_fen": amount_fen,
            "payout_method": payout_method,
            "payer": payer,
            "policy_version": policy_version,
            "basis": basis,
            "recovered_from_seller": recovered_from_seller,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rule = d.pop("rule")

        amount_fen = d.pop("amount_fen")

        payout_method = d.pop("payout_method")

        payer = d.pop("payer")

        policy_version = d.pop("policy_version")

        basis = d.pop("basis")

        recovered_from_seller = d.pop("recovered_from_seller")

        compensation_out = cls(
            rule=rule,
            amount_fen=amount_fen,
            payout_method=payout_method,
            payer=payer,
            policy_version=policy_version,
            basis=basis,
            recovered_from_seller=recovered_from_seller,
        )


        compensation_out.additional_properties = d
        return compensation_out

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
