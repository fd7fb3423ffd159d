from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="OrderSnapshot")



@_attrs_define
class OrderSnapshot:
    """ 
        Attributes:
            id (str):
            shop_id (str):
            buyer_id (str):
            state (str):
            paid_at (None | str):
            shipped_at (None | str):
            completed_at (None | str):
            closed_at (None | str):
     """

    id: str
    shop_id: str
    buyer_id: str
    state: str
    paid_at: None | str
    shipped_at: None | str
    completed_at: None | str
    closed_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        state = self.state

        paid_at: None | str
        paid_at = self.paid_at

        shipped_at: None | str
        shipped_at = self.shipped_at

        completed_at: None | str
        completed_at = self.completed_at

        closed_at: None | str
        closed_at = self.closed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "state": state,
            "paid_at": paid_at,
            "shipped_at": shipped_at,
            "completed_at": completed_at,
            "closed_at": closed_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        state = d.pop("state")

        def _parse_paid_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        paid_at = _parse_paid_at(d.pop("paid_at"))


        def _parse_shipped_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shipped_at = _parse_shipped_at(d.pop("shipped_at"))


        def _parse_completed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))


        def _parse_closed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))


        order_snapshot = cls(
            id=id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            state=state,
            paid_at=paid_at,
            shipped_at=shipped_at,
            completed_at=completed_at,
            closed_at=closed_at,
        )


        order_snapshot.additional_properties = d
        return order_snapshot

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
