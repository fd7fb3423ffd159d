from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.metric_out import MetricOut





T = TypeVar("T", bound="MetricsOut")



@_attrs_define
class MetricsOut:
    """ 
        Attributes:
            refund_rate (MetricOut):
            dispute_rate (MetricOut):
            self_resolution_rate (MetricOut):
            resolution_time_median (MetricOut):
            resolution_time_p90 (MetricOut):
            response_time_median (MetricOut):
     """

    refund_rate: MetricOut
    dispute_rate: MetricOut
    self_resolution_rate: MetricOut
    resolution_time_median: MetricOut
    resolution_time_p90: MetricOut
    response_time_median: MetricOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.metric_out import MetricOut # noqa: PLC0415
        refund_rate = self.refund_rate.to_dict()

        dispute_rate = self.dispute_rate.to_dict()

        self_resolution_rate = self.self_resolution_rate.to_dict()

        resolution_time_median = self.resolution_time_median.to_dict()

        resolution_time_p90 = self.resolution_time_p90.to_dict()

        response_time_median = self.response_time_median.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "refund_rate": refund_rate,
            "dispute_rate": dispute_rate,
            "self_resolution_rate": self_resolution_rate,
            "resolution_time_median": resolution_time_median,
            "resolution_time_p90": resolution_time_p90,
            "response_time_median": response_time_median,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metric_out import MetricOut # noqa: PLC0415
        d = dict(src_dict)
        refund_rate = MetricOut.from_dict(d.pop("refund_rate"))




        dispute_rate = MetricOut.from_dict(d.pop("dispute_rate"))




        self_resolution_rate = MetricOut.from_dict(d.pop("self_resolution_rate"))




        resolution_time_median = MetricOut.from_dict(d.pop("resolution_time_median"))




        resolution_time_p90 = MetricOut.from_dict(d.pop("resolution_time_p90"))




        response_time_median = MetricOut.from_dict(d.pop("response_time_median"))




        metrics_out = cls(
            refund_rate=refund_rate,
            dispute_rate=dispute_rate,
            self_resolution_rate=self_resolution_rate,
            resolution_time_median=resolution_time_median,
            resolution_time_p90=resolution_time_p90,
            response_time_median=response_time_median,
        )


        metrics_out.additional_properties = d
        return metrics_out

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
