from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PhaseOut")



@_attrs_define
class PhaseOut:
    """ 
        Attributes:
            refund_rate (float | None): Orders with a request of this phase ÷ paid orders.
            dispute_rate (float | None): Orders with a lost dispute of this phase ÷ paid orders.
            rated (bool): Whether the refund and dispute rates (and their ranking) count this phase.
     """

    refund_rate: float | None
    dispute_rate: float | None
    rated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        refund_rate: float | None
        refund_rate = self.refund_rate

        dispute_rate: float | None
        dispute_rate = self.dispute_rate

        rated = self.rated


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "refund_rate": refund_rate,
            "dispute_rate": dispute_rate,
            "rated": rated,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        rated = d.pop("rated")

        phase_out = cls(
            refund_rate=refund_rate,
            dispute_rate=dispute_rate,
            rated=rated,
        )


        phase_out.additional_properties = d
        return phase_out

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
