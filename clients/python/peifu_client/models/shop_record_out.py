from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.penalty_out import PenaltyOut
  from ..models.sanction_out import SanctionOut





T = TypeVar("T", bound="ShopRecordOut")



@_attrs_define
class ShopRecordOut:
    """ 
        Attributes:
            shop_id (str):
            points (int): Penalty points within the policy period
            period_days (int):
            penalties (list[PenaltyOut]):
            sanctions (list[SanctionOut]): Sanctions in force
     """

    shop_id: str
    points: int
    period_days: int
    penalties: list[PenaltyOut]
    sanctions: list[SanctionOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.penalty_out import PenaltyOut # noqa: PLC0415
        from ..models.sanction_out import SanctionOut # noqa: PLC0415
        shop_id = self.shop_id

        points = self.points

        period_days = self.period_days

        penalties = []
        for penalties_item_data in self.penalties:
            penalties_item = penalties_item_data.to_dict()
            penalties.append(penalties_item)



        sanctions = []
        for sanctions_item_data in self.sanctions:
            sanctions_item = sanctions_item_data.to_dict()
            sanctions.append(sanctions_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "shop_id": shop_id,
            "points": points,
            "period_days": period_days,
            "penalties": penalties,
            "sanctions": sanctions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.penalty_out import PenaltyOut # noqa: PLC0415
        from ..models.sanction_out import SanctionOut # noqa: PLC0415
        d = dict(src_dict)
        shop_id = d.pop("shop_id")

        points = d.pop("points")

        period_days = d.pop("period_days")

        penalties = []
        _penalties = d.pop("penalties")
        for penalties_item_data in (_penalties):
            penalties_item = PenaltyOut.from_dict(penalties_item_data)



            penalties.append(penalties_item)


        sanctions = []
        _sanctions = d.pop("sanctions")
        for sanctions_item_data in (_sanctions):
            sanctions_item = SanctionOut.from_dict(sanctions_item_data)



            sanctions.append(sanctions_item)


        shop_record_out = cls(
            shop_id=shop_id,
            points=points,
            period_days=period_days,
            penalties=penalties,
            sanctions=sanctions,
        )


        shop_record_out.additional_properties = d
        return shop_record_out

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
