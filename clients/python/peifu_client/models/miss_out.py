from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="MissOut")



@_attrs_define
class MissOut:
    """ 
        Attributes:
            step (str): answer | forward (the platform's) · contact | remedy | carry_out (the shop's)
            party (str):
            due (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            missed (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
     """

    step: str
    party: str
    due: Instant
    missed: Instant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        step = self.step

        party = self.party

        due = self.due.to_dict()

        missed = self.missed.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "step": step,
            "party": party,
            "due": due,
            "missed": missed,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        step = d.pop("step")

        party = d.pop("party")

        due = Instant.from_dict(d.pop("due"))




        missed = Instant.from_dict(d.pop("missed"))




        miss_out = cls(
            step=step,
            party=party,
            due=due,
            missed=missed,
        )


        miss_out.additional_properties = d
        return miss_out

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
