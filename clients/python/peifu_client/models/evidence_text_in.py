from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EvidenceTextIn")



@_attrs_define
class EvidenceTextIn:
    """ 
        Attributes:
            kind (str):
            text (str):
     """

    kind: str
    text: str





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        text = self.text


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "text": text,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        text = d.pop("text")

        evidence_text_in = cls(
            kind=kind,
            text=text,
        )

        return evidence_text_in

