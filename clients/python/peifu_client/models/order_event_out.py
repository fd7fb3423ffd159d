from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant
  from ..models.order_event_out_data import OrderEventOutData





T = TypeVar("T", bound="OrderEventOut")



@_attrs_define
class OrderEventOut:
    """ 
        Attributes:
            kind (str):
            at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            from_state (str):
            to_state (str):
            data (OrderEventOutData):
     """

    kind: str
    at: Instant
    from_state: str
    to_state: str
    data: OrderEventOutData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.order_event_out_data import OrderEventOutData # noqa: PLC0415
        kind = self.kind

        at = self.at.to_dict()

        from_state = self.from_state

        to_state = self.to_state

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "at": at,
            "from_state": from_state,
            "to_state": to_state,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.order_event_out_data import OrderEventOutData # noqa: PLC0415
        d = dict(src_dict)
        kind = d.pop("kind")

        at = Instant.from_dict(d.pop("at"))




        from_state = d.pop("from_state")

        to_state = d.pop("to_state")

        data = OrderEventOutData.from_dict(d.pop("data"))




        order_event_out = cls(
            kind=kind,
            at=at,
            from_state=from_state,
            to_state=to_state,
            data=data,
        )


        order_event_out.additional_properties = d
        return order_event_out

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
