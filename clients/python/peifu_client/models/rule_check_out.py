from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RuleCheckOut")



@_attrs_define
class RuleCheckOut:
    """ 
        Attributes:
            rule_id (int):
            name (str):
            priority (int):
            enabled (bool):
            action (str):
            matched (bool):
            failed (None | str): The first condition that does not hold: disabled, case_type, reason, ...
            why (str):
     """

    rule_id: int
    name: str
    priority: int
    enabled: bool
    action: str
    matched: bool
    failed: None | str
    why: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        rule_id = self.rule_id

        name = self.name

        priority = self.priority

        enabled = self.enabled

        action = self.action

        matched = self.matched

        failed: None | str
        failed = self.failed

        why = self.why


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "rule_id": rule_id,
            "name": name,
            "priority": priority,
            "enabled": enabled,
            "action": action,
            "matched": matched,
            "failed": failed,
            "why": why,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rule_id = d.pop("rule_id")

        name = d.pop("name")

        priority = d.pop("priority")

        enabled = d.pop("enabled")

        action = d.pop("action")

        matched = d.pop("matched")

        def _parse_failed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failed = _parse_failed(d.pop("failed"))


        why = d.pop("why")

        rule_check_out = cls(
            rule_id=rule_id,
            name=name,
            priority=priority,
            enabled=enabled,
            action=action,
            matched=matched,
            failed=failed,
            why=why,
        )


        rule_check_out.additional_properties = d
        return rule_check_out

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
