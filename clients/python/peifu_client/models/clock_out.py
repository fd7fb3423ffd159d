from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="ClockOut")



@_attrs_define
class ClockOut:
    """ 
        Attributes:
            now (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            offset_seconds (int):
            fired (int | Unset):  Default: 0.
     """

    now: Instant
    offset_seconds: int
    fired: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        now = self.now.to_dict()

        offset_seconds = self.offset_seconds

        fired = self.fired


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "now": now,
            "offset_seconds": offset_seconds,
        })
        if fired is not UNSET:
            field_dict["fired"] = fired

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        now = Instant.from_dict(d.pop("now"))




        offset_seconds = d.pop("offset_seconds")

        fired = d.pop("fired", UNSET)

        clock_out = cls(
            now=now,
            offset_seconds=offset_seconds,
            fired=fired,
        )


        clock_out.additional_properties = d
        return clock_out

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
