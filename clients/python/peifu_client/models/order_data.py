from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.order_data_because import OrderDataBecause
  from ..models.order_snapshot import OrderSnapshot





T = TypeVar("T", bound="OrderData")



@_attrs_define
class OrderData:
    """ 
        Attributes:
            order (OrderSnapshot):
            because (OrderDataBecause): Why the engine did it, e.g. {reason: fully_refunded, case_id: 7}.
     """

    order: OrderSnapshot
    because: OrderDataBecause
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.order_data_because import OrderDataBecause # noqa: PLC0415
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        order = self.order.to_dict()

        because = self.because.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "order": order,
            "because": because,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_data_because import OrderDataBecause # noqa: PLC0415
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        d = dict(src_dict)
        order = OrderSnapshot.from_dict(d.pop("order"))




        because = OrderDataBecause.from_dict(d.pop("because"))




        order_data = cls(
            order=order,
            because=because,
        )


        order_data.additional_properties = d
        return order_data

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
