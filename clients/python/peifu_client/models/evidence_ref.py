from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EvidenceRef")



@_attrs_define
class EvidenceRef:
    """ 
        Attributes:
            id (int):
            party (str):
            kind (str):
            for_appeal (bool):
            created_at (str):
     """

    id: int
    party: str
    kind: str
    for_appeal: bool
    created_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        party = self.party

        kind = self.kind

        for_appeal = self.for_appeal

        created_at = self.created_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "party": party,
            "kind": kind,
            "for_appeal": for_appeal,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        party = d.pop("party")

        kind = d.pop("kind")

        for_appeal = d.pop("for_appeal")

        created_at = d.pop("created_at")

        evidence_ref = cls(
            id=id,
            party=party,
            kind=kind,
            for_appeal=for_appeal,
            created_at=created_at,
        )


        evidence_ref.additional_properties = d
        return evidence_ref

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
