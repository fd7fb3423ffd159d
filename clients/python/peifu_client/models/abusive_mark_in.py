from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AbusiveMarkIn")



@_attrs_define
class AbusiveMarkIn:
    """ 
        Attributes:
            abusive (bool | Unset): false removes the mark. Default: True.
            note (None | str | Unset): Why, for the record.
     """

    abusive: bool | Unset = True
    note: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        abusive = self.abusive

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if abusive is not UNSET:
            field_dict["abusive"] = abusive
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        abusive = d.pop("abusive", UNSET)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        abusive_mark_in = cls(
            abusive=abusive,
            note=note,
        )

        return abusive_mark_in

