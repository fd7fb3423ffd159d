from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CaseLineIn")



@_attrs_define
class CaseLineIn:
    """ 
        Attributes:
            line_no (int):
            refund_amount_fen (int | None | Unset): Money asked for this line; omit for the whole refundable amount (money
                requests).
     """

    line_no: int
    refund_amount_fen: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        line_no = self.line_no

        refund_amount_fen: int | None | Unset
        if isinstance(self.refund_amount_fen, Unset):
            refund_amount_fen = UNSET
        else:
            refund_amount_fen = self.refund_amount_fen


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "line_no": line_no,
        })
        if refund_amount_fen is not UNSET:
            field_dict["refund_amount_fen"] = refund_amount_fen

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_no = d.pop("line_no")

        def _parse_refund_amount_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refund_amount_fen = _parse_refund_amount_fen(d.pop("refund_amount_fen", UNSET))


        case_line_in = cls(
            line_no=line_no,
            refund_amount_fen=refund_amount_fen,
        )

        return case_line_in

