from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ServiceComplaintMissOut")



@_attrs_define
class ServiceComplaintMissOut:
    """ 
        Attributes:
            step (str): answer | forward (the platform's) · contact | remedy | carry_out (the shop's)
            party (str): shop | platform
            due_at (str):
     """

    step: str
    party: str
    due_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        step = self.step

        party = self.party

        due_at = self.due_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "step": step,
            "party": party,
            "due_at": due_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        step = d.pop("step")

        party = d.pop("party")

        due_at = d.pop("due_at")

        service_complaint_miss_out = cls(
            step=step,
            party=party,
            due_at=due_at,
        )


        service_complaint_miss_out.additional_properties = d
        return service_complaint_miss_out

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
