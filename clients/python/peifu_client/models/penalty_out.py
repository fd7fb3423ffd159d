from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="PenaltyOut")



@_attrs_define
class PenaltyOut:
    """ 
        Attributes:
            complaint_id (int):
            violation (str):
            points (int):
            policy_version (str):
            at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
     """

    complaint_id: int
    violation: str
    points: int
    policy_version: str
    at: Instant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        complaint_id = self.complaint_id

        violation = self.violation

        points = self.points

        policy_version = self.policy_version

        at = self.at.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "complaint_id": complaint_id,
            "violation": violation,
            "points": points,
            "policy_version": policy_version,
            "at": at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        complaint_id = d.pop("complaint_id")

        violation = d.pop("violation")

        points = d.pop("points")

        policy_version = d.pop("policy_version")

        at = Instant.from_dict(d.pop("at"))




        penalty_out = cls(
            complaint_id=complaint_id,
            violation=violation,
            points=points,
            policy_version=policy_version,
            at=at,
        )


        penalty_out.additional_properties = d
        return penalty_out

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
