from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PenaltySnapshot")



@_attrs_define
class PenaltySnapshot:
    """ 
        Attributes:
            id (int):
            complaint_id (int):
            violation (str):
            points (int):
            policy_version (str):
            created_at (str):
            revoked_at (None | str):
     """

    id: int
    complaint_id: int
    violation: str
    points: int
    policy_version: str
    created_at: str
    revoked_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        complaint_id = self.complaint_id

        violation = self.violation

        points = self.points

        policy_version = self.policy_version

        created_at = self.created_at

        revoked_at: None | str
        revoked_at = self.revoked_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "complaint_id": complaint_id,
            "violation": violation,
            "points": points,
            "policy_version": policy_version,
            "created_at": created_at,
            "revoked_at": revoked_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        complaint_id = d.pop("complaint_id")

        violation = d.pop("violation")

        points = d.pop("points")

        policy_version = d.pop("policy_version")

        created_at = d.pop("created_at")

        def _parse_revoked_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        penalty_snapshot = cls(
            id=id,
            complaint_id=complaint_id,
            violation=violation,
            points=points,
            policy_version=policy_version,
            created_at=created_at,
            revoked_at=revoked_at,
        )


        penalty_snapshot.additional_properties = d
        return penalty_snapshot

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
