from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.policy_rule_out import PolicyRuleOut





T = TypeVar("T", bound="PolicyOut")



@_attrs_define
class PolicyOut:
    """ 
        Attributes:
            version (str):
            name_zh (str):
            name_en (str):
            in_force (bool):
            rules (list[PolicyRuleOut]):
     """

    version: str
    name_zh: str
    name_en: str
    in_force: bool
    rules: list[PolicyRuleOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.policy_rule_out import PolicyRuleOut # noqa: PLC0415
        version = self.version

        name_zh = self.name_zh

        name_en = self.name_en

        in_force = self.in_force

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "version": version,
            "name_zh": name_zh,
            "name_en": name_en,
            "in_force": in_force,
            "rules": rules,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_rule_out import PolicyRuleOut # noqa: PLC0415
        d = dict(src_dict)
        version = d.pop("version")

        name_zh = d.pop("name_zh")

        name_en = d.pop("name_en")

        in_force = d.pop("in_force")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in (_rules):
            rules_item = PolicyRuleOut.from_dict(rules_item_data)



            rules.append(rules_item)


        policy_out = cls(
            version=version,
            name_zh=name_zh,
            name_en=name_en,
            in_force=in_force,
            rules=rules,
        )


        policy_out.additional_properties = d
        return policy_out

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
