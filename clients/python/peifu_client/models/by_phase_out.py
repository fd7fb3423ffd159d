from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.phase_out import PhaseOut





T = TypeVar("T", bound="ByPhaseOut")



@_attrs_define
class ByPhaseOut:
    """ 
        Attributes:
            in_trade (PhaseOut):
            post_trade (PhaseOut):
     """

    in_trade: PhaseOut
    post_trade: PhaseOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.phase_out import PhaseOut # noqa: PLC0415
        in_trade = self.in_trade.to_dict()

        post_trade = self.post_trade.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "in_trade": in_trade,
            "post_trade": post_trade,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phase_out import PhaseOut # noqa: PLC0415
        d = dict(src_dict)
        in_trade = PhaseOut.from_dict(d.pop("in_trade"))




        post_trade = PhaseOut.from_dict(d.pop("post_trade"))




        by_phase_out = cls(
            in_trade=in_trade,
            post_trade=post_trade,
        )


        by_phase_out.additional_properties = d
        return by_phase_out

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
