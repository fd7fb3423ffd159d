from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.ruling_in import RulingIn





T = TypeVar("T", bound="AppealDecisionIn")



@_attrs_define
class AppealDecisionIn:
    """ 
        Attributes:
            decision (str):
            reasoning (str):
            ruling (None | RulingIn | Unset):
     """

    decision: str
    reasoning: str
    ruling: None | RulingIn | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.ruling_in import RulingIn # noqa: PLC0415
        decision = self.decision

        reasoning = self.reasoning

        ruling: dict[str, Any] | None | Unset
        if isinstance(self.ruling, Unset):
            ruling = UNSET
        elif isinstance(self.ruling, RulingIn):
            ruling = self.ruling.to_dict()
        else:
            ruling = self.ruling


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "decision": decision,
            "reasoning": reasoning,
        })
        if ruling is not UNSET:
            field_dict["ruling"] = ruling

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ruling_in import RulingIn # noqa: PLC0415
        d = dict(src_dict)
        decision = d.pop("decision")

        reasoning = d.pop("reasoning")

        def _parse_ruling(data: object) -> None | RulingIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ruling_type_0 = RulingIn.from_dict(data)



                return ruling_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RulingIn | Unset, data)

        ruling = _parse_ruling(d.pop("ruling", UNSET))


        appeal_decision_in = cls(
            decision=decision,
            reasoning=reasoning,
            ruling=ruling,
        )

        return appeal_decision_in

