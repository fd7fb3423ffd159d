from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.by_phase_out import ByPhaseOut
  from ..models.counts_out import CountsOut





T = TypeVar("T", bound="CategoryTotalsOut")



@_attrs_define
class CategoryTotalsOut:
    """ 
        Attributes:
            counts (CountsOut):
            by_phase (ByPhaseOut):
            refund_rate (float | None):
            dispute_rate (float | None):
            self_resolution_rate (float | None):
            resolution_time_median (float | None):
            resolution_time_p90 (float | None):
            response_time_median (float | None):
     """

    counts: CountsOut
    by_phase: ByPhaseOut
    refund_rate: float | None
    dispute_rate: float | None
    self_resolution_rate: float | None
    resolution_time_median: float | None
    resolution_time_p90: float | None
    response_time_median: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.by_phase_out import ByPhaseOut # noqa: PLC0415
        from ..models.counts_out import CountsOut # noqa: PLC0415
        counts = self.counts.to_dict()

        by_phase = self.by_phase.to_dict()

        refund_rate: float | None
        refund_rate = self.refund_rate

        dispute_rate: float | None
        dispute_rate = self.dispute_rate

        self_resolution_rate: float | None
        self_resolution_rate = self.self_resolution_rate

        resolution_time_median: float | None
        resolution_time_median = self.resolution_time_median

        resolution_time_p90: float | None
        resolution_time_p90 = self.resolution_time_p90

        response_time_median: float | None
        response_time_median = self.response_time_median


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "counts": counts,
            "by_phase": by_phase,
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
        from ..models.by_phase_out import ByPhaseOut # noqa: PLC0415
        from ..models.counts_out import CountsOut # noqa: PLC0415
        d = dict(src_dict)
        counts = CountsOut.from_dict(d.pop("counts"))




        by_phase = ByPhaseOut.from_dict(d.pop("by_phase"))




        def _parse_refund_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        refund_rate = _parse_refund_rate(d.pop("refund_rate"))


        def _parse_dispute_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        dispute_rate = _parse_dispute_rate(d.pop("dispute_rate"))


        def _parse_self_resolution_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        self_resolution_rate = _parse_self_resolution_rate(d.pop("self_resolution_rate"))


        def _parse_resolution_time_median(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        resolution_time_median = _parse_resolution_time_median(d.pop("resolution_time_median"))


        def _parse_resolution_time_p90(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        resolution_time_p90 = _parse_resolution_time_p90(d.pop("resolution_time_p90"))


        def _parse_response_time_median(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        response_time_median = _parse_response_time_median(d.pop("response_time_median"))


        category_totals_out = cls(
            counts=counts,
            by_phase=by_phase,
            refund_rate=refund_rate,
            dispute_rate=dispute_rate,
            self_resolution_rate=self_resolution_rate,
            resolution_time_median=resolution_time_median,
            resolution_time_p90=resolution_time_p90,
            response_time_median=response_time_median,
        )


        category_totals_out.additional_properties = d
        return category_totals_out

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
