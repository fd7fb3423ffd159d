from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Instant")



@_attrs_define
class Instant:
    """ A moment: stored UTC, and the Asia/Shanghai wall time people read.

        Attributes:
            utc (datetime.datetime):
            local (str): Asia/Shanghai, e.g. 2026-11-11 20:00:00+08:00
     """

    utc: datetime.datetime
    local: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        utc = self.utc.isoformat()

        local = self.local


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "utc": utc,
            "local": local,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        utc = datetime.datetime.fromisoformat(d.pop("utc"))




        local = d.pop("local")

        instant = cls(
            utc=utc,
            local=local,
        )


        instant.additional_properties = d
        return instant

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
