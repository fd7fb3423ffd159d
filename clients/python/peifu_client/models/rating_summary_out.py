from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.rating_summary_out_distribution import RatingSummaryOutDistribution





T = TypeVar("T", bound="RatingSummaryOut")



@_attrs_define
class RatingSummaryOut:
    """ 
        Attributes:
            shop_id (str):
            count (int):
            average (float | None): Mean score, two decimals; null while there are no ratings.
            distribution (RatingSummaryOutDistribution): How many ratings of each score, '1' to '5'.
     """

    shop_id: str
    count: int
    average: float | None
    distribution: RatingSummaryOutDistribution
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.rating_summary_out_distribution import RatingSummaryOutDistribution # noqa: PLC0415
        shop_id = self.shop_id

        count = self.count

        average: float | None
        average = self.average

        distribution = self.distribution.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "shop_id": shop_id,
            "count": count,
            "average": average,
            "distribution": distribution,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rating_summary_out_distribution import RatingSummaryOutDistribution # noqa: PLC0415
        d = dict(src_dict)
        shop_id = d.pop("shop_id")

        count = d.pop("count")

        def _parse_average(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average = _parse_average(d.pop("average"))


        distribution = RatingSummaryOutDistribution.from_dict(d.pop("distribution"))




        rating_summary_out = cls(
            shop_id=shop_id,
            count=count,
            average=average,
            distribution=distribution,
        )


        rating_summary_out.additional_properties = d
        return rating_summary_out

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
