from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant
  from ..models.ledger_leg_out import LedgerLegOut





T = TypeVar("T", bound="LedgerTransactionOut")



@_attrs_define
class LedgerTransactionOut:
    """ 
        Attributes:
            id (int):
            kind (str):
            memo (str):
            at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            policy_version (None | str):
            legs (list[LedgerLegOut]):
     """

    id: int
    kind: str
    memo: str
    at: Instant
    policy_version: None | str
    legs: list[LedgerLegOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.ledger_leg_out import LedgerLegOut # noqa: PLC0415
        id = self.id

        kind = self.kind

        memo = self.memo

        at = self.at.to_dict()

        policy_version: None | str
        policy_version = self.policy_version

        legs = []
        for legs_item_data in self.legs:
            legs_item = legs_item_data.to_dict()
            legs.append(legs_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "memo": memo,
            "at": at,
            "policy_version": policy_version,
            "legs": legs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.ledger_leg_out import LedgerLegOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        memo = d.pop("memo")

        at = Instant.from_dict(d.pop("at"))




        def _parse_policy_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        policy_version = _parse_policy_version(d.pop("policy_version"))


        legs = []
        _legs = d.pop("legs")
        for legs_item_data in (_legs):
            legs_item = LedgerLegOut.from_dict(legs_item_data)



            legs.append(legs_item)


        ledger_transaction_out = cls(
            id=id,
            kind=kind,
            memo=memo,
            at=at,
            policy_version=policy_version,
            legs=legs,
        )


        ledger_transaction_out.additional_properties = d
        return ledger_transaction_out

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
