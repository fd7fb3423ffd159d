from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ComplaintDecisionIn")



@_attrs_define
class ComplaintDecisionIn:
    """ 
        Attributes:
            upheld (bool):
            reasoning (str):
            violation (None | str | Unset): The agent may reclassify the violation (e.g. severe → minor mismatch).
     """

    upheld: bool
    reasoning: str
    violation: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        upheld = self.upheld

        reasoning = self.reasoning

        violation: None | str | Unset
        if isinstance(self.violation, Unset):
            violation = UNSET
        else:
            violation = self.violation


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "upheld": upheld,
            "reasoning": reasoning,
        })
        if violation is not UNSET:
            field_dict["violation"] = violation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        upheld = d.pop("upheld")

        reasoning = d.pop("reasoning")

        def _parse_violation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        violation = _parse_violation(d.pop("violation", UNSET))


        complaint_decision_in = cls(
            upheld=upheld,
            reasoning=reasoning,
            violation=violation,
        )

        return complaint_decision_in

