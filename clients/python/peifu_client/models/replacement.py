from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Replacement")



@_attrs_define
class Replacement:
    """ 
        Attributes:
            courier (None | str):
            tracking_no (None | str):
            shipped_at (None | str):
     """

    courier: None | str
    tracking_no: None | str
    shipped_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        courier: None | str
        courier = self.courier

        tracking_no: None | str
        tracking_no = self.tracking_no

        shipped_at: None | str
        shipped_at = self.shipped_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "courier": courier,
            "tracking_no": tracking_no,
            "shipped_at": shipped_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_courier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        courier = _parse_courier(d.pop("courier"))


        def _parse_tracking_no(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tracking_no = _parse_tracking_no(d.pop("tracking_no"))


        def _parse_shipped_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shipped_at = _parse_shipped_at(d.pop("shipped_at"))


        replacement = cls(
            courier=courier,
            tracking_no=tracking_no,
            shipped_at=shipped_at,
        )


        replacement.additional_properties = d
        return replacement

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
