from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Reminder")



@_attrs_define
class Reminder:
    """ 
        Attributes:
            id (int):
            kind (str):
            due_at (str):
            who_can_act (list[str]):
            then_zh (str):
            then_en (str):
     """

    id: int
    kind: str
    due_at: str
    who_can_act: list[str]
    then_zh: str
    then_en: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        due_at = self.due_at

        who_can_act = self.who_can_act



        then_zh = self.then_zh

        then_en = self.then_en


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "due_at": due_at,
            "who_can_act": who_can_act,
            "then_zh": then_zh,
            "then_en": then_en,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        due_at = d.pop("due_at")

        who_can_act = cast(list[str], d.pop("who_can_act"))


        then_zh = d.pop("then_zh")

        then_en = d.pop("then_en")

        reminder = cls(
            id=id,
            kind=kind,
            due_at=due_at,
            who_can_act=who_can_act,
            then_zh=then_zh,
            then_en=then_en,
        )


        reminder.additional_properties = d
        return reminder

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
