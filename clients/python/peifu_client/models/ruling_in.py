from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.case_type import CaseType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RulingIn")



@_attrs_define
class RulingIn:
    """ 
        Attributes:
            outcome (str):
            liable_party (str):
            reasoning (str):
            case_type (CaseType | None | Unset): support_buyer/split: refund_only, partial_refund or return_and_refund
            refund_amount_fen (int | None | Unset): Omit for the full refundable amount (support_buyer).
            compensations (list[str] | Unset):
     """

    outcome: str
    liable_party: str
    reasoning: str
    case_type: CaseType | None | Unset = UNSET
    refund_amount_fen: int | None | Unset = UNSET
    compensations: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome

        liable_party = self.liable_party

        reasoning = self.reasoning

        case_type: None | str | Unset
        if isinstance(self.case_type, Unset):
            case_type = UNSET
        elif isinstance(self.case_type, CaseType):
            case_type = self.case_type.value
        else:
            case_type = self.case_type

        refund_amount_fen: int | None | Unset
        if isinstance(self.refund_amount_fen, Unset):
            refund_amount_fen = UNSET
        else:
            refund_amount_fen = self.refund_amount_fen

        compensations: list[str] | Unset = UNSET
        if not isinstance(self.compensations, Unset):
            compensations = self.compensations




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "outcome": outcome,
            "liable_party": liable_party,
            "reasoning": reasoning,
        })
        if case_type is not UNSET:
            field_dict["case_type"] = case_type
        if refund_amount_fen is not UNSET:
            field_dict["refund_amount_fen"] = refund_amount_fen
        if compensations is not UNSET:
            field_dict["compensations"] = compensations

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = d.pop("outcome")

        liable_party = d.pop("liable_party")

        reasoning = d.pop("reasoning")

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


        def _parse_refund_amount_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refund_amount_fen = _parse_refund_amount_fen(d.pop("refund_amount_fen", UNSET))


        compensations = cast(list[str], d.pop("compensations", UNSET))


        ruling_in = cls(
            outcome=outcome,
            liable_party=liable_party,
            reasoning=reasoning,
            case_type=case_type,
            refund_amount_fen=refund_amount_fen,
            compensations=compensations,
        )

        return ruling_in

