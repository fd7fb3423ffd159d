from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RotateIn")



@_attrs_define
class RotateIn:
    """ 
        Attributes:
            grace_hours (int | Unset): How long the old secret still signs, beside the new. Default: 24.
     """

    grace_hours: int | Unset = 24





    def to_dict(self) -> dict[str, Any]:
        grace_hours = self.grace_hours


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if grace_hours is not UNSET:
            field_dict["grace_hours"] = grace_hours

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grace_hours = d.pop("grace_hours", UNSET)

        rotate_in = cls(
            grace_hours=grace_hours,
        )

        return rotate_in

