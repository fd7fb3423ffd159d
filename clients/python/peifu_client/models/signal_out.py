from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.signal_code import SignalCode
from ..models.signal_out_subject import SignalOutSubject
from typing import cast

if TYPE_CHECKING:
  from ..models.signal_out_figures import SignalOutFigures
  from ..models.signal_out_thresholds import SignalOutThresholds





T = TypeVar("T", bound="SignalOut")



@_attrs_define
class SignalOut:
    """ 
        Attributes:
            code (SignalCode):
            subject (SignalOutSubject):
            subject_id (str):
            score (int): Strength 0–100: 50 exactly at the policy threshold, 100 at twice it or more.
            window_days (int): The policy window the figures cover (`abuse.window_days`).
            figures (SignalOutFigures): What was observed.
            thresholds (SignalOutThresholds): The policy numbers it was compared with.
            explanation_zh (str):
            explanation_en (str):
            case_ids (list[int]): The requests behind it.
            order_ids (list[str]): The orders behind it.
     """

    code: SignalCode
    subject: SignalOutSubject
    subject_id: str
    score: int
    window_days: int
    figures: SignalOutFigures
    thresholds: SignalOutThresholds
    explanation_zh: str
    explanation_en: str
    case_ids: list[int]
    order_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.signal_out_figures import SignalOutFigures # noqa: PLC0415
        from ..models.signal_out_thresholds import SignalOutThresholds # noqa: PLC0415
        code = self.code.value

        subject = self.subject.value

        subject_id = self.subject_id

        score = self.score

        window_days = self.window_days

        figures = self.figures.to_dict()

        thresholds = self.thresholds.to_dict()

        explanation_zh = self.explanation_zh

        explanation_en = self.explanation_en

        case_ids = self.case_ids



        order_ids = self.order_ids




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "subject": subject,
            "subject_id": subject_id,
            "score": score,
            "window_days": window_days,
            "figures": figures,
            "thresholds": thresholds,
            "explanation_zh": explanation_zh,
            "explanation_en": explanation_en,
            "case_ids": case_ids,
            "order_ids": order_ids,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_out_figures import SignalOutFigures # noqa: PLC0415
        from ..models.signal_out_thresholds import SignalOutThresholds # noqa: PLC0415
        d = dict(src_dict)
        code = SignalCode(d.pop("code"))




        subject = SignalOutSubject(d.pop("subject"))




        subject_id = d.pop("subject_id")

        score = d.pop("score")

        window_days = d.pop("window_days")

        figures = SignalOutFigures.from_dict(d.pop("figures"))




        thresholds = SignalOutThresholds.from_dict(d.pop("thresholds"))




        explanation_zh = d.pop("explanation_zh")

        explanation_en = d.pop("explanation_en")

        case_ids = cast(list[int], d.pop("case_ids"))


        order_ids = cast(list[str], d.pop("order_ids"))


        signal_out = cls(
            code=code,
            subject=subject,
            subject_id=subject_id,
            score=score,
            window_days=window_days,
            figures=figures,
            thresholds=thresholds,
            explanation_zh=explanation_zh,
            explanation_en=explanation_en,
            case_ids=case_ids,
            order_ids=order_ids,
        )


        signal_out.additional_properties = d
        return signal_out

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
