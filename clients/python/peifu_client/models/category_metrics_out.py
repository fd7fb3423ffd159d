from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.category_metrics_out_rated_phases_item import CategoryMetricsOutRatedPhasesItem
from ..models.metric_name import MetricName
from typing import cast

if TYPE_CHECKING:
  from ..models.category_totals_out import CategoryTotalsOut
  from ..models.shop_metrics_out import ShopMetricsOut
  from ..models.window_out import WindowOut





T = TypeVar("T", bound="CategoryMetricsOut")



@_attrs_define
class CategoryMetricsOut:
    """ 
        Attributes:
            category (str):
            window (WindowOut):
            flag_percentile (int):
            rated_phases (list[CategoryMetricsOutRatedPhasesItem]): The request phases the refund and dispute rates count:
                the policy's `metrics.rated_phases` (default `in_trade`, after seed 003).
            sort (MetricName | None): The metric the ranking follows; null: overall.
            totals (CategoryTotalsOut):
            shops (list[ShopMetricsOut]): Every shop of the category active in the window, worst first.
     """

    category: str
    window: WindowOut
    flag_percentile: int
    rated_phases: list[CategoryMetricsOutRatedPhasesItem]
    sort: MetricName | None
    totals: CategoryTotalsOut
    shops: list[ShopMetricsOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.category_totals_out import CategoryTotalsOut # noqa: PLC0415
        from ..models.shop_metrics_out import ShopMetricsOut # noqa: PLC0415
        from ..models.window_out import WindowOut # noqa: PLC0415
        category = self.category

        window = self.window.to_dict()

        flag_percentile = self.flag_percentile

        rated_phases = []
        for rated_phases_item_data in self.rated_phases:
            rated_phases_item = rated_phases_item_data.value
            rated_phases.append(rated_phases_item)



        sort: None | str
        if isinstance(self.sort, MetricName):
            sort = self.sort.value
        else:
            sort = self.sort

        totals = self.totals.to_dict()

        shops = []
        for shops_item_data in self.shops:
            shops_item = shops_item_data.to_dict()
            shops.append(shops_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "category": category,
            "window": window,
            "flag_percentile": flag_percentile,
            "rated_phases": rated_phases,
            "sort": sort,
            "totals": totals,
            "shops": shops,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_totals_out import CategoryTotalsOut # noqa: PLC0415
        from ..models.shop_metrics_out import ShopMetricsOut # noqa: PLC0415
        from ..models.window_out import WindowOut # noqa: PLC0415
        d = dict(src_dict)
        category = d.pop("category")

        window = WindowOut.from_dict(d.pop("window"))




        flag_percentile = d.pop("flag_percentile")

        rated_phases = []
        _rated_phases = d.pop("rated_phases")
        for rated_phases_item_data in (_rated_phases):
            rated_phases_item = CategoryMetricsOutRatedPhasesItem(rated_phases_item_data)



            rated_phases.append(rated_phases_item)


        def _parse_sort(data: object) -> MetricName | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sort_type_0 = MetricName(data)



                return sort_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MetricName | None, data)

        sort = _parse_sort(d.pop("sort"))


        totals = CategoryTotalsOut.from_dict(d.pop("totals"))




        shops = []
        _shops = d.pop("shops")
        for shops_item_data in (_shops):
            shops_item = ShopMetricsOut.from_dict(shops_item_data)



            shops.append(shops_item)


        category_metrics_out = cls(
            category=category,
            window=window,
            flag_percentile=flag_percentile,
            rated_phases=rated_phases,
            sort=sort,
            totals=totals,
            shops=shops,
        )


        category_metrics_out.additional_properties = d
        return category_metrics_out

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
