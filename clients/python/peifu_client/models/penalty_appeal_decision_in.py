from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PenaltyAppealDecisionIn")



@_attrs_define
class PenaltyAppealDecisionIn:
    """ 
        Attributes:
            overturn (bool):
            reasoning (str):
     """

    overturn: bool
    reasoning: str





    def to_dict(self) -> dict[str, Any]:
        overturn = self.overturn

        reasoning = self.reasoning


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "overturn": overturn,
            "reasoning": reasoning,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        overturn = d.pop("overturn")

        reasoning = d.pop("reasoning")

        penalty_appeal_decision_in = cls(
            overturn=overturn,
            reasoning=reasoning,
        )

        return penalty_appeal_decision_in

