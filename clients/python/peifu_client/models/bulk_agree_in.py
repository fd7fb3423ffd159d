from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BulkAgreeIn")



@_attrs_define
class BulkAgreeIn:
    """ 
        Attributes:
            case_ids (list[int]): The requests to agree to; each is decided on its own.
            note (str | Unset):  Default: ''.
     """

    case_ids: list[int]
    note: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        case_ids = self.case_ids



        note = self.note


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "case_ids": case_ids,
        })
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_ids = cast(list[int], d.pop("case_ids"))


        note = d.pop("note", UNSET)

        bulk_agree_in = cls(
            case_ids=case_ids,
            note=note,
        )

        return bulk_agree_in

