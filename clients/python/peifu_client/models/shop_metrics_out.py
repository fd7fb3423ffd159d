from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.metric_name import MetricName
from ..models.shop_metrics_out_category_source_type_0 import ShopMetricsOutCategorySourceType0
from ..models.shop_metrics_out_rated_phases_item import ShopMetricsOutRatedPhasesItem
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.by_phase_out import ByPhaseOut
  from ..models.counts_out import CountsOut
  from ..models.metrics_out import MetricsOut
  from ..models.shop_complaint_stats_out import ShopComplaintStatsOut
  from ..models.window_out import WindowOut





T = TypeVar("T", bound="ShopMetricsOut")



@_attrs_define
class ShopMetricsOut:
    """ 
        Attributes:
            shop_id (str):
            category (None | str): The category the shop is ranked in.
            category_source (None | ShopMetricsOutCategorySourceType0): `shop`: the shop's own category; `order_lines`: its
                most common paid line category.
            window (WindowOut):
            flag_percentile (int): A metric is flagged when worse than this % of the category.
            shops_in_category (int): Shops of the category active in the window, this one included.
            rated_phases (list[ShopMetricsOutRatedPhasesItem]): The request phases the refund and dispute rates count: the
                policy's `metrics.rated_phases` (default `in_trade`, after seed 003).
            counts (CountsOut):
            by_phase (ByPhaseOut):
            metrics (MetricsOut):
            flags (list[MetricName]): The metrics that are flagged.
            rank (int | None | Unset): In a category ranking: 1 is the worst shop.
            service_complaints (None | ShopComplaintStatsOut | Unset): 售后投诉 (seed 003 5.2–5.3): complaints per 1,000 orders,
                the share of each step done in time, satisfaction — over the policy's metrics window, whatever window was asked
                for above; also at `GET /shops/{id}/service-complaint-stats`. Not in the CSV.
     """

    shop_id: str
    category: None | str
    category_source: None | ShopMetricsOutCategorySourceType0
    window: WindowOut
    flag_percentile: int
    shops_in_category: int
    rated_phases: list[ShopMetricsOutRatedPhasesItem]
    counts: CountsOut
    by_phase: ByPhaseOut
    metrics: MetricsOut
    flags: list[MetricName]
    rank: int | None | Unset = UNSET
    service_complaints: None | ShopComplaintStatsOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.by_phase_out import ByPhaseOut # noqa: PLC0415
        from ..models.counts_out import CountsOut # noqa: PLC0415
        from ..models.metrics_out import MetricsOut # noqa: PLC0415
        from ..models.shop_complaint_stats_out import ShopComplaintStatsOut # noqa: PLC0415
        from ..models.window_out import WindowOut # noqa: PLC0415
        shop_id = self.shop_id

        category: None | str
        category = self.category

        category_source: None | str
        if isinstance(self.category_source, ShopMetricsOutCategorySourceType0):
            category_source = self.category_source.value
        else:
            category_source = self.category_source

        window = self.window.to_dict()

        flag_percentile = self.flag_percentile

        shops_in_category = self.shops_in_category

        rated_phases = []
        for rated_phases_item_data in self.rated_phases:
            rated_phases_item = rated_phases_item_data.value
            rated_phases.append(rated_phases_item)



        counts = self.counts.to_dict()

        by_phase = self.by_phase.to_dict()

        metrics = self.metrics.to_dict()

        flags = []
        for flags_item_data in self.flags:
            flags_item = flags_item_data.value
            flags.append(flags_item)



        rank: int | None | Unset
        if isinstance(self.rank, Unset):
            rank = UNSET
        else:
            rank = self.rank

        service_complaints: dict[str, Any] | None | Unset
        if isinstance(self.service_complaints, Unset):
            service_complaints = UNSET
        elif isinstance(self.service_complaints, ShopComplaintStatsOut):
            service_complaints = self.service_complaints.to_dict()
        else:
            service_complaints = self.service_complaints


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "shop_id": shop_id,
            "category": category,
            "category_source": category_source,
            "window": window,
            "flag_percentile": flag_percentile,
            "shops_in_category": shops_in_category,
            "rated_phases": rated_phases,
            "counts": counts,
            "by_phase": by_phase,
            "metrics": metrics,
            "flags": flags,
        })
        if rank is not UNSET:
            field_dict["rank"] = rank
        if service_complaints is not UNSET:
            field_dict["service_complaints"] = service_complaints

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.by_phase_out import ByPhaseOut # noqa: PLC0415
        from ..models.counts_out import CountsOut # noqa: PLC0415
        from ..models.metrics_out import MetricsOut # noqa: PLC0415
        from ..models.shop_complaint_stats_out import ShopComplaintStatsOut # noqa: PLC0415
        from ..models.window_out import WindowOut # noqa: PLC0415
        d = dict(src_dict)
        shop_id = d.pop("shop_id")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_category_source(data: object) -> None | ShopMetricsOutCategorySourceType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_source_type_0 = ShopMetricsOutCategorySourceType0(data)



                return category_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShopMetricsOutCategorySourceType0, data)

        category_source = _parse_category_source(d.pop("category_source"))


        window = WindowOut.from_dict(d.pop("window"))




        flag_percentile = d.pop("flag_percentile")

        shops_in_category = d.pop("shops_in_category")

        rated_phases = []
        _rated_phases = d.pop("rated_phases")
        for rated_phases_item_data in (_rated_phases):
            rated_phases_item = ShopMetricsOutRatedPhasesItem(rated_phases_item_data)



            rated_phases.append(rated_phases_item)


        counts = CountsOut.from_dict(d.pop("counts"))




        by_phase = ByPhaseOut.from_dict(d.pop("by_phase"))




        metrics = MetricsOut.from_dict(d.pop("metrics"))




        flags = []
        _flags = d.pop("flags")
        for flags_item_data in (_flags):
            flags_item = MetricName(flags_item_data)



            flags.append(flags_item)


        def _parse_rank(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rank = _parse_rank(d.pop("rank", UNSET))


        def _parse_service_complaints(data: object) -> None | ShopComplaintStatsOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_complaints_type_0 = ShopComplaintStatsOut.from_dict(data)



                return service_complaints_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShopComplaintStatsOut | Unset, data)

        service_complaints = _parse_service_complaints(d.pop("service_complaints", UNSET))


        shop_metrics_out = cls(
            shop_id=shop_id,
            category=category,
            category_source=category_source,
            window=window,
            flag_percentile=flag_percentile,
            shops_in_category=shops_in_category,
            rated_phases=rated_phases,
            counts=counts,
            by_phase=by_phase,
            metrics=metrics,
            flags=flags,
            rank=rank,
            service_complaints=service_complaints,
        )


        shop_metrics_out.additional_properties = d
        return shop_metrics_out

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
