from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.service_sanction_out import ServiceSanctionOut
  from ..models.step_stat_out import StepStatOut





T = TypeVar("T", bound="ShopComplaintStatsOut")



@_attrs_define
class ShopComplaintStatsOut:
    """ 
        Attributes:
            shop_id (str):
            window_days (int):
            complaints (int):
            orders (int): Paid orders of the shop in the window
            per_1000_orders (float | None):
            steps (list[StepStatOut]):
            rated (int):
            satisfaction_avg (float | None):
            satisfied_share (float | None): Share of ratings of 4 or 5
            shop_misses_in_period (int):
            period_days (int):
            sanctions (list[ServiceSanctionOut]): Sanctions in force for missed steps (seed 003 6.1)
     """

    shop_id: str
    window_days: int
    complaints: int
    orders: int
    per_1000_orders: float | None
    steps: list[StepStatOut]
    rated: int
    satisfaction_avg: float | None
    satisfied_share: float | None
    shop_misses_in_period: int
    period_days: int
    sanctions: list[ServiceSanctionOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service_sanction_out import ServiceSanctionOut # noqa: PLC0415
        from ..models.step_stat_out import StepStatOut # noqa: PLC0415
        shop_id = self.shop_id

        window_days = self.window_days

        complaints = self.complaints

        orders = self.orders

        per_1000_orders: float | None
        per_1000_orders = self.per_1000_orders

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)



        rated = self.rated

        satisfaction_avg: float | None
        satisfaction_avg = self.satisfaction_avg

        satisfied_share: float | None
        satisfied_share = self.satisfied_share

        shop_misses_in_period = self.shop_misses_in_period

        period_days = self.period_days

        sanctions = []
        for sanctions_item_data in self.sanctions:
            sanctions_item = sanctions_item_data.to_dict()
            sanctions.append(sanctions_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "shop_id": shop_id,
            "window_days": window_days,
            "complaints": complaints,
            "orders": orders,
            "per_1000_orders": per_1000_orders,
            "steps": steps,
            "rated": rated,
            "satisfaction_avg": satisfaction_avg,
            "satisfied_share": satisfied_share,
            "shop_misses_in_period": shop_misses_in_period,
            "period_days": period_days,
            "sanctions": sanctions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_sanction_out import ServiceSanctionOut # noqa: PLC0415
        from ..models.step_stat_out import StepStatOut # noqa: PLC0415
        d = dict(src_dict)
        shop_id = d.pop("shop_id")

        window_days = d.pop("window_days")

        complaints = d.pop("complaints")

        orders = d.pop("orders")

        def _parse_per_1000_orders(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        per_1000_orders = _parse_per_1000_orders(d.pop("per_1000_orders"))


        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = StepStatOut.from_dict(steps_item_data)



            steps.append(steps_item)


        rated = d.pop("rated")

        def _parse_satisfaction_avg(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        satisfaction_avg = _parse_satisfaction_avg(d.pop("satisfaction_avg"))


        def _parse_satisfied_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        satisfied_share = _parse_satisfied_share(d.pop("satisfied_share"))


        shop_misses_in_period = d.pop("shop_misses_in_period")

        period_days = d.pop("period_days")

        sanctions = []
        _sanctions = d.pop("sanctions")
        for sanctions_item_data in (_sanctions):
            sanctions_item = ServiceSanctionOut.from_dict(sanctions_item_data)



            sanctions.append(sanctions_item)


        shop_complaint_stats_out = cls(
            shop_id=shop_id,
            window_days=window_days,
            complaints=complaints,
            orders=orders,
            per_1000_orders=per_1000_orders,
            steps=steps,
            rated=rated,
            satisfaction_avg=satisfaction_avg,
            satisfied_share=satisfied_share,
            shop_misses_in_period=shop_misses_in_period,
            period_days=period_days,
            sanctions=sanctions,
        )


        shop_complaint_stats_out.additional_properties = d
        return shop_complaint_stats_out

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
