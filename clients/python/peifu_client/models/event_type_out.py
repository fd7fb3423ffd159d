from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="EventTypeOut")



@_attrs_define
class EventTypeOut:
    """ 
        Attributes:
            type_ (str):
            subject (str):
            zh (str):
            en (str):
            emitted_by (str):
            audience (list[str]): Who may receive it: platform, shop, buyer.
     """

    type_: str
    subject: str
    zh: str
    en: str
    emitted_by: str
    audience: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subject = self.subject

        zh = self.zh

        en = self.en

        emitted_by = self.emitted_by

        audience = self.audience




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "subject": subject,
            "zh": zh,
            "en": en,
            "emitted_by": emitted_by,
            "audience": audience,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        subject = d.pop("subject")

        zh = d.pop("zh")

        en = d.pop("en")

        emitted_by = d.pop("emitted_by")

        audience = cast(list[str], d.pop("audience"))


        event_type_out = cls(
            type_=type_,
            subject=subject,
            zh=zh,
            en=en,
            emitted_by=emitted_by,
            audience=audience,
        )


        event_type_out.additional_properties = d
        return event_type_out

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
