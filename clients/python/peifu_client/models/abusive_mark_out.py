from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="AbusiveMarkOut")



@_attrs_define
class AbusiveMarkOut:
    """ 
        Attributes:
            case_id (int):
            order_id (str):
            shop_id (str):
            abusive (bool):
            marked_at (Instant | None):
            marked_by (None | str):
            note (None | str):
            order_excluded (bool): Whether the order is now left out of the shop's metrics.
     """

    case_id: int
    order_id: str
    shop_id: str
    abusive: bool
    marked_at: Instant | None
    marked_by: None | str
    note: None | str
    order_excluded: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        case_id = self.case_id

        order_id = self.order_id

        shop_id = self.shop_id

        abusive = self.abusive

        marked_at: dict[str, Any] | None
        if isinstance(self.marked_at, Instant):
            marked_at = self.marked_at.to_dict()
        else:
            marked_at = self.marked_at

        marked_by: None | str
        marked_by = self.marked_by

        note: None | str
        note = self.note

        order_excluded = self.order_excluded


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "case_id": case_id,
            "order_id": order_id,
            "shop_id": shop_id,
            "abusive": abusive,
            "marked_at": marked_at,
            "marked_by": marked_by,
            "note": note,
            "order_excluded": order_excluded,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        case_id = d.pop("case_id")

        order_id = d.pop("order_id")

        shop_id = d.pop("shop_id")

        abusive = d.pop("abusive")

        def _parse_marked_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                marked_at_type_0 = Instant.from_dict(data)



                return marked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        marked_at = _parse_marked_at(d.pop("marked_at"))


        def _parse_marked_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        marked_by = _parse_marked_by(d.pop("marked_by"))


        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))


        order_excluded = d.pop("order_excluded")

        abusive_mark_out = cls(
            case_id=case_id,
            order_id=order_id,
            shop_id=shop_id,
            abusive=abusive,
            marked_at=marked_at,
            marked_by=marked_by,
            note=note,
            order_excluded=order_excluded,
        )


        abusive_mark_out.additional_properties = d
        return abusive_mark_out

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
