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






T = TypeVar("T", bound="ProposeIn")



@_attrs_define
class ProposeIn:
    """ 
        Attributes:
            refund_amount_fen (int | None | Unset):
            case_type (CaseType | None | Unset):
            reason (None | Reason | Unset): Ask the buyer to change the reason (协商修改退款原因); accepting it agrees on that
                reason.
            note (str | Unset):  Default: ''.
     """

    refund_amount_fen: int | None | Unset = UNSET
    case_type: CaseType | None | Unset = UNSET
    reason: None | Reason | Unset = UNSET
    note: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        refund_amount_fen: int | None | Unset
        if isinstance(self.refund_amount_fen, Unset):
            refund_amount_fen = UNSET
        else:
            refund_amount_fen = self.refund_amount_fen

        case_type: None | str | Unset
        if isinstance(self.case_type, Unset):
            case_type = UNSET
        elif isinstance(self.case_type, CaseType):
            case_type = self.case_type.value
        else:
            case_type = self.case_type

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, Reason):
            reason = self.reason.value
        else:
            reason = self.reason

        note = self.note


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if refund_amount_fen is not UNSET:
            field_dict["refund_amount_fen"] = refund_amount_fen
        if case_type is not UNSET:
            field_dict["case_type"] = case_type
        if reason is not UNSET:
            field_dict["reason"] = reason
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_refund_amount_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refund_amount_fen = _parse_refund_amount_fen(d.pop("refund_amount_fen", UNSET))


        def _parse_case_type(data: object) -> CaseType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                case_type_type_0 = CaseType(data)



                return case_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseType | None | Unset, data)

        case_type = _parse_case_type(d.pop("case_type", UNSET))


        def _parse_reason(data: object) -> None | Reason | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = Reason(data)



                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reason | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        note = d.pop("note", UNSET)

        propose_in = cls(
            refund_amount_fen=refund_amount_fen,
            case_type=case_type,
            reason=reason,
            note=note,
        )

        return propose_in

