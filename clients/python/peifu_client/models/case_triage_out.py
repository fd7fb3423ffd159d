from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CaseTriageOut")



@_attrs_define
class CaseTriageOut:
    """ 分诊: what the buyer's description suggests (peifu.triage); advice for routing, not a decision.

        Attributes:
            reason (str): The reason the text suggests (may differ from the reason the buyer chose).
            case_type (None | str):
            priority (str): urgent, high, normal or low: how soon the case should be looked at.
            confidence (float | None): The model's probability for `reason`, 0 to 1.
            signals (list[str]): Why the priority: safety_hazard, counterfeit_claim, repeated_contact …
            model (None | str):
            matches_stated_reason (bool): Whether the suggestion agrees with the buyer's chosen reason.
            for_person (bool | Unset): The triage was unsure or read no after-sale reason in the text: a person should read
                it. Default: False.
     """

    reason: str
    case_type: None | str
    priority: str
    confidence: float | None
    signals: list[str]
    model: None | str
    matches_stated_reason: bool
    for_person: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        case_type: None | str
        case_type = self.case_type

        priority = self.priority

        confidence: float | None
        confidence = self.confidence

        signals = self.signals



        model: None | str
        model = self.model

        matches_stated_reason = self.matches_stated_reason

        for_person = self.for_person


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
            "case_type": case_type,
            "priority": priority,
            "confidence": confidence,
            "signals": signals,
            "model": model,
            "matches_stated_reason": matches_stated_reason,
        })
        if for_person is not UNSET:
            field_dict["for_person"] = for_person

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_case_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        case_type = _parse_case_type(d.pop("case_type"))


        priority = d.pop("priority")

        def _parse_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence = _parse_confidence(d.pop("confidence"))


        signals = cast(list[str], d.pop("signals"))


        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))


        matches_stated_reason = d.pop("matches_stated_reason")

        for_person = d.pop("for_person", UNSET)

        case_triage_out = cls(
            reason=reason,
            case_type=case_type,
            priority=priority,
            confidence=confidence,
            signals=signals,
            model=model,
            matches_stated_reason=matches_stated_reason,
            for_person=for_person,
        )


        case_triage_out.additional_properties = d
        return case_triage_out

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
