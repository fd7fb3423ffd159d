from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Mark")



@_attrs_define
class Mark:
    """ 
        Attributes:
            id (int):
            buyer_id (str):
            shop_id (None | str):
            scope (str):
            reason (str):
            marked_by (str):
            marked_at (str):
            lifted_at (None | str):
     """

    id: int
    buyer_id: str
    shop_id: None | str
    scope: str
    reason: str
    marked_by: str
    marked_at: str
    lifted_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        buyer_id = self.buyer_id

        shop_id: None | str
        shop_id = self.shop_id

        scope = self.scope

        reason = self.reason

        marked_by = self.marked_by

        marked_at = self.marked_at

        lifted_at: None | str
        lifted_at = self.lifted_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "buyer_id": buyer_id,
            "shop_id": shop_id,
            "scope": scope,
            "reason": reason,
            "marked_by": marked_by,
            "marked_at": marked_at,
            "lifted_at": lifted_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        buyer_id = d.pop("buyer_id")

        def _parse_shop_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shop_id = _parse_shop_id(d.pop("shop_id"))


        scope = d.pop("scope")

        reason = d.pop("reason")

        marked_by = d.pop("marked_by")

        marked_at = d.pop("marked_at")

        def _parse_lifted_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lifted_at = _parse_lifted_at(d.pop("lifted_at"))


        mark = cls(
            id=id,
            buyer_id=buyer_id,
            shop_id=shop_id,
            scope=scope,
            reason=reason,
            marked_by=marked_by,
            marked_at=marked_at,
            lifted_at=lifted_at,
        )


        mark.additional_properties = d
        return mark

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
