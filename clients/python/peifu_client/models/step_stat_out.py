from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="StepStatOut")



@_attrs_define
class StepStatOut:
    """ 
        Attributes:
            step (str):
            party (str):
            in_time (int):
            missed (int):
            share_in_time (float | None):
     """

    step: str
    party: str
    in_time: int
    missed: int
    share_in_time: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        step = self.step

        party = self.party

        in_time = self.in_time

        missed = self.missed

        share_in_time: float | None
        share_in_time = self.share_in_time


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "step": step,
            "party": party,
            "in_time": in_time,
            "missed": missed,
            "share_in_time": share_in_time,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        step = d.pop("step")

        party = d.pop("party")

        in_time = d.pop("in_time")

        missed = d.pop("missed")

        def _parse_share_in_time(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        share_in_time = _parse_share_in_time(d.pop("share_in_time"))


        step_stat_out = cls(
            step=step,
            party=party,
            in_time=in_time,
            missed=missed,
            share_in_time=share_in_time,
        )


        step_stat_out.additional_properties = d
        return step_stat_out

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
