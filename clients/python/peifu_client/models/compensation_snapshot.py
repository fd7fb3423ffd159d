from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CompensationSnapshot")



@_attrs_define
class CompensationSnapshot:
    """ 
        Attributes:
            id (int):
            case_id (int):
            rule (str): late_shipment | out_of_stock | counterfeit | advance_compensation
            amount_fen (int):
            payout_method (str): original_payment | points | coupon | voucher
            payer (str): seller | platform
            basis (str):
            policy_version (str):
     """

    id: int
    case_id: int
    rule: str
    amount_fen: int
    payout_method: str
    payer: str
    basis: str
    policy_version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        case_id = self.case_id

        rule = self.rule

        amount_fen = self.amount_fen

        payout_method = self.payout_method

        payer = self.payer

        basis = self.basis

        policy_version = self.policy_version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "case_id": case_id,
            "rule": rule,
            "amount_fen": amount_fen,
            "payout_method": payout_method,
            "payer": payer,
            "basis": basis,
            "policy_version": policy_version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        case_id = d.pop("case_id")

        rule = d.pop("rule")

        amount_fen = d.pop("amount_fen")

        payout_method = d.pop("payout_method")

        payer = d.pop("payer")

        basis = d.pop("basis")

        policy_version = d.pop("policy_version")

        compensation_snapshot = cls(
            id=id,
            case_id=case_id,
            rule=rule,
            amount_fen=amount_fen,
            payout_method=payout_method,
            payer=payer,
            basis=basis,
            policy_version=policy_version,
        )


        compensation_snapshot.additional_properties = d
        return compensation_snapshot

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
