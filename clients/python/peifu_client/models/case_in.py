from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.case_type import CaseType
from ..models.reason import Reason
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.case_line_in import CaseLineIn





T = TypeVar("T", bound="CaseIn")



@_attrs_define
class CaseIn:
    """ 
        Attributes:
            order_id (str):
            lines (list[CaseLineIn]):
            case_type (CaseType):
            reason (Reason):
            description (str | Unset):  Default: ''.
     """

    order_id: str
    lines: list[CaseLineIn]
    case_type: CaseType
    reason: Reason
    description: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_line_in import CaseLineIn # noqa: PLC0415
        order_id = self.order_id

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        case_type = self.case_type.value

        reason = self.reason.value

        description = self.description


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "order_id": order_id,
            "lines": lines,
            "case_type": case_type,
            "reason": reason,
        })
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_line_in import CaseLineIn # noqa: PLC0415
        d = dict(src_dict)
        order_id = d.pop("order_id")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = CaseLineIn.from_dict(lines_item_data)



            lines.append(lines_item)


        case_type = CaseType(d.pop("case_type"))




        reason = Reason(d.pop("reason"))




        description = d.pop("description", UNSET)

        case_in = cls(
            order_id=order_id,
            lines=lines,
            case_type=case_type,
            reason=reason,
            description=description,
        )

        return case_in

