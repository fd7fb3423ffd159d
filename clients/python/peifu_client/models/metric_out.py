from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.metric_out_better import MetricOutBetter
from ..models.metric_out_unit import MetricOutUnit
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MetricOut")



@_attrs_define
class MetricOut:
    """ 
        Attributes:
            value (float | None): A ratio in [0, 1] or a number of seconds; null when there is nothing to measure.
            unit (MetricOutUnit):
            better (MetricOutBetter): Which direction is better for this metric.
            category_percentile (float | None): 行业占比: % of the other shops in the category doing strictly better (0 best,
                100 worst).
            compared_with (int): Other shops in the category with a value for this metric.
            flagged (bool): Worse than the policy's `category_flag_percentile` % of the category.
            numerator (int | None | Unset): For rates: what was counted…
            denominator (int | None | Unset): …out of how many.
            sample (int | None | Unset): For times: how many cases the figure is taken over.
     """

    value: float | None
    unit: MetricOutUnit
    better: MetricOutBetter
    category_percentile: float | None
    compared_with: int
    flagged: bool
    numerator: int | None | Unset = UNSET
    denominator: int | None | Unset = UNSET
    sample: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        value: float | None
        value = self.value

        unit = self.unit.value

        better = self.better.value

        category_percentile: float | None
        category_percentile = self.category_percentile

        compared_with = self.compared_with

        flagged = self.flagged

        numerator: int | None | Unset
        if isinstance(self.numerator, Unset):
            numerator = UNSET
        else:
            numerator = self.numerator

        denominator: int | None | Unset
        if isinstance(self.denominator, Unset):
            denominator = UNSET
        else:
            denominator = self.denominator

        sample: int | None | Unset
        if isinstance(self.sample, Unset):
            sample = UNSET
        else:
            sample = self.sample


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "value": value,
            "unit": unit,
            "better": better,
            "category_percentile": category_percentile,
            "compared_with": compared_with,
            "flagged": flagged,
        })
        if numerator is not UNSET:
            field_dict["numerator"] = numerator
        if denominator is not UNSET:
            field_dict["denominator"] = denominator
        if sample is not UNSET:
            field_dict["sample"] = sample

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))


        unit = MetricOutUnit(d.pop("unit"))




        better = MetricOutBetter(d.pop("better"))




        def _parse_category_percentile(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        category_percentile = _parse_category_percentile(d.pop("category_percentile"))


        compared_with = d.pop("compared_with")

        flagged = d.pop("flagged")

        def _parse_numerator(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        numerator = _parse_numerator(d.pop("numerator", UNSET))


        def _parse_denominator(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        denominator = _parse_denominator(d.pop("denominator", UNSET))


        def _parse_sample(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sample = _parse_sample(d.pop("sample", UNSET))


        metric_out = cls(
            value=value,
            unit=unit,
            better=better,
            category_percentile=category_percentile,
            compared_with=compared_with,
            flagged=flagged,
            numerator=numerator,
            denominator=denominator,
            sample=sample,
        )


        metric_out.additional_properties = d
        return metric_out

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
