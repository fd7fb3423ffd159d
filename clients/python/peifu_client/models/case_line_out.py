from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CaseLineOut")



@_attrs_define
class CaseLineOut:
    """ 
        Attributes:
            line_no (int):
            title (str):
            refund_amount_fen (int):
     """

    line_no: int
    title: str
    refund_amount_fen: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        line_no = self.line_no

        title = self.title

        refund_amount_fen = self.refund_amount_fen


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "line_no": line_no,
            "title": title,
            "refund_amount_fen": refund_amount_fen,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_no = d.pop("line_no")

        title = d.pop("title")

        refund_amount_fen = d.pop("refund_amount_fen")

        case_line_out = cls(
            line_no=line_no,
            title=title,
            refund_amount_fen=refund_amount_fen,
        )


        case_line_out.additional_properties = d
        return case_line_out

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
