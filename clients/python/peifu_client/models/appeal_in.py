from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AppealIn")



@_attrs_define
class AppealIn:
    """ 
        Attributes:
            reason (str):
            evidence_text (str): The new evidence (files can be uploaded too).
     """

    reason: str
    evidence_text: str





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        evidence_text = self.evidence_text


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
            "evidence_text": evidence_text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        evidence_text = d.pop("evidence_text")

        appeal_in = cls(
            reason=reason,
            evidence_text=evidence_text,
        )

        return appeal_in

