from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.shop_in_kind import ShopInKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ShopIn")



@_attrs_define
class ShopIn:
    """ 
        Attributes:
            id (str):
            name (str):
            category (None | str | Unset):
            kind (ShopInKind | Unset): tmall: the shop promises 假一赔十 (10× for counterfeits); taobao: the statutory rules.
                Default: ShopInKind.TAOBAO.
     """

    id: str
    name: str
    category: None | str | Unset = UNSET
    kind: ShopInKind | Unset = ShopInKind.TAOBAO





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "name": name,
        })
        if category is not UNSET:
            field_dict["category"] = category
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        _kind = d.pop("kind", UNSET)
        kind: ShopInKind | Unset
        if isinstance(_kind,  Unset):
            kind = UNSET
        else:
            kind = ShopInKind(_kind)




        shop_in = cls(
            id=id,
            name=name,
            category=category,
            kind=kind,
        )

        return shop_in

