from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PolicyRuleOut")



@_attrs_define
class PolicyRuleOut:
    """ 
        Attributes:
            key (str):
            section (str):
            value (Any):
            zh (str):
            en (str):
            source (str):
     """

    key: str
    section: str
    value: Any
    zh: str
    en: str
    source: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        key = self.key

        section = self.section

        value = self.value

        zh = self.zh

        en = self.en

        source = self.source


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "key": key,
            "section": section,
            "value": value,
            "zh": zh,
            "en": en,
            "source": source,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        section = d.pop("section")

        value = d.pop("value")

        zh = d.pop("zh")

        en = d.pop("en")

        source = d.pop("source")

        policy_rule_out = cls(
            key=key,
            section=section,
            value=value,
            zh=zh,
            en=en,
            source=source,
        )


        policy_rule_out.additional_properties = d
        return policy_rule_out

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
