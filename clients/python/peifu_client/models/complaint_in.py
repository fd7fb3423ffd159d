from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ComplaintIn")



@_attrs_define
class ComplaintIn:
    """ 
        Attributes:
            order_id (str):
            violation (str): The penalty row claimed; decides the complaint type and the points.
            description (str):
            case_id (int | None | Unset): The after-sale request it comes from, if any.
     """

    order_id: str
    violation: str
    description: str
    case_id: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        violation = self.violation

        description = self.description

        case_id: int | None | Unset
        if isinstance(self.case_id, Unset):
            case_id = UNSET
        else:
            case_id = self.case_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "order_id": order_id,
            "violation": violation,
            "description": description,
        })
        if case_id is not UNSET:
            field_dict["case_id"] = case_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order_id = d.pop("order_id")

        violation = d.pop("violation")

        description = d.pop("description")

        def _parse_case_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        case_id = _parse_case_id(d.pop("case_id", UNSET))


        complaint_in = cls(
            order_id=order_id,
            violation=violation,
            description=description,
            case_id=case_id,
        )

        return complaint_in

