from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.case_snapshot import CaseSnapshot
  from ..models.move import Move





T = TypeVar("T", bound="CaseData")



@_attrs_define
class CaseData:
    """ 
        Attributes:
            case (CaseSnapshot):
            action (Move):
     """

    case: CaseSnapshot
    action: Move
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_snapshot import CaseSnapshot # noqa: PLC0415
        from ..models.move import Move # noqa: PLC0415
        case = self.case.to_dict()

        action = self.action.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "case": case,
            "action": action,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_snapshot import CaseSnapshot # noqa: PLC0415
        from ..models.move import Move # noqa: PLC0415
        d = dict(src_dict)
        case = CaseSnapshot.from_dict(d.pop("case"))




        action = Move.from_dict(d.pop("action"))




        case_data = cls(
            case=case,
            action=action,
        )


        case_data.additional_properties = d
        return case_data

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
