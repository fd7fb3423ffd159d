from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="AgreeIn")



@_attrs_define
class AgreeIn:
    """ 
        Attributes:
            note (str | Unset):  Default: ''.
            confirm_return_on_sign (bool | Unset): Returns, exchanges and repairs: confirm the returned goods (and refund)
                the moment the courier reports the parcel signed, instead of waiting for the seller's confirmation (签收自动退款).
                Default: False.
     """

    note: str | Unset = ''
    confirm_return_on_sign: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        note = self.note

        confirm_return_on_sign = self.confirm_return_on_sign


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if note is not UNSET:
            field_dict["note"] = note
        if confirm_return_on_sign is not UNSET:
            field_dict["confirm_return_on_sign"] = confirm_return_on_sign

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note", UNSET)

        confirm_return_on_sign = d.pop("confirm_return_on_sign", UNSET)

        agree_in = cls(
            note=note,
            confirm_return_on_sign=confirm_return_on_sign,
        )

        return agree_in

