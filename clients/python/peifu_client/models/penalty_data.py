from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.penalty_snapshot import PenaltySnapshot





T = TypeVar("T", bound="PenaltyData")



@_attrs_define
class PenaltyData:
    """ 
        Attributes:
            penalty (PenaltySnapshot):
            shop_points (int | None): The shop's points within the policy period afterwards.
     """

    penalty: PenaltySnapshot
    shop_points: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.penalty_snapshot import PenaltySnapshot # noqa: PLC0415
        penalty = self.penalty.to_dict()

        shop_points: int | None
        shop_points = self.shop_points


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "penalty": penalty,
            "shop_points": shop_points,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.penalty_snapshot import PenaltySnapshot # noqa: PLC0415
        d = dict(src_dict)
        penalty = PenaltySnapshot.from_dict(d.pop("penalty"))




        def _parse_shop_points(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        shop_points = _parse_shop_points(d.pop("shop_points"))


        penalty_data = cls(
            penalty=penalty,
            shop_points=shop_points,
        )


        penalty_data.additional_properties = d
        return penalty_data

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
