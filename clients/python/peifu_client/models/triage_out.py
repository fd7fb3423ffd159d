from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.triage_alternative_out import TriageAlternativeOut





T = TypeVar("T", bound="TriageOut")



@_attrs_define
class TriageOut:
    """ 
        Attributes:
            reason (str): The suggested after-sale reason (退款原因).
            case_type (str): The suggested case type: the buyer's stated wish, else the reason's usual remedy.
            priority (str): urgent, high, normal or low.
            confidence (float): How likely `reason` is right, 0 to 1, calibrated on real shopper text (see docs/triage-
                evaluation.md).
            alternatives (list[TriageAlternativeOut]): The next most likely reasons.
            language (str): zh-Hans, zh-Hant or en.
            signals (list[str]): Why the priority: safety_hazard, counterfeit_claim, legal_threat, …
            model (str): Which model answered.
            sub_reason (None | str | Unset): The finer kind of complaint when the text names it (used_or_refurbished,
                gift_or_accessory, spoiled_or_expired, courier_after_dispatch, price_protection, size_fit); filed under
                `reason`.
            for_person (bool | Unset): True when the triage is unsure or reads no after-sale reason (venting, an opinion): a
                person decides; `reason` is then only the most likely guess. Default: False.
     """

    reason: str
    case_type: str
    priority: str
    confidence: float
    alternatives: list[TriageAlternativeOut]
    language: str
    signals: list[str]
    model: str
    sub_reason: None | str | Unset = UNSET
    for_person: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.triage_alternative_out import TriageAlternativeOut # noqa: PLC0415
        reason = self.reason

        case_type = self.case_type

        priority = self.priority

        confidence = self.confidence

        alternatives = []
        for alternatives_item_data in self.alternatives:
            alternatives_item = alternatives_item_data.to_dict()
            alternatives.append(alternatives_item)



        language = self.language

        signals = self.signals



        model = self.model

        sub_reason: None | str | Unset
        if isinstance(self.sub_reason, Unset):
            sub_reason = UNSET
        else:
            sub_reason = self.sub_reason

        for_person = self.for_person


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
            "case_type": case_type,
            "priority": priority,
            "confidence": confidence,
            "alternatives": alternatives,
            "language": language,
            "signals": signals,
            "model": model,
        })
        if sub_reason is not UNSET:
            field_dict["sub_reason"] = sub_reason
        if for_person is not UNSET:
            field_dict["for_person"] = for_person

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.triage_alternative_out import TriageAlternativeOut # noqa: PLC0415
        d = dict(src_dict)
        reason = d.pop("reason")

        case_type = d.pop("case_type")

        priority = d.pop("priority")

        confidence = d.pop("confidence")

        alternatives = []
        _alternatives = d.pop("alternatives")
        for alternatives_item_data in (_alternatives):
            alternatives_item = TriageAlternativeOut.from_dict(alternatives_item_data)



            alternatives.append(alternatives_item)


        language = d.pop("language")

        signals = cast(list[str], d.pop("signals"))


        model = d.pop("model")

        def _parse_sub_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sub_reason = _parse_sub_reason(d.pop("sub_reason", UNSET))


        for_person = d.pop("for_person", UNSET)

        triage_out = cls(
            reason=reason,
            case_type=case_type,
            priority=priority,
            confidence=confidence,
            alternatives=alternatives,
            language=language,
            signals=signals,
            model=model,
            sub_reason=sub_reason,
            for_person=for_person,
        )


        triage_out.additional_properties = d
        return triage_out

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
