from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sanction_snapshot import SanctionSnapshot





T = TypeVar("T", bound="SanctionData")



@_attrs_define
class SanctionData:
    """ 
        Attributes:
            sanction (SanctionSnapshot):
     """

    sanction: SanctionSnapshot
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sanction_snapshot import SanctionSnapshot # noqa: PLC0415
        sanction = self.sanction.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "sanction": sanction,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sanction_snapshot import SanctionSnapshot # noqa: PLC0415
        d = dict(src_dict)
        sanction = SanctionSnapshot.from_dict(d.pop("sanction"))




        sanction_data = cls(
            sanction=sanction,
        )


        sanction_data.additional_properties = d
        return sanction_data

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
