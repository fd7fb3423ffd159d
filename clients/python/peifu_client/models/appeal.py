from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Appeal")



@_attrs_define
class Appeal:
    """ 
        Attributes:
            id (int):
            ruling_id (int):
            party (str):
            reason (str):
            created_at (str):
            reviewer (None | str):
            decision (None | str): upheld | replaced (once decided)
            decided_at (None | str):
     """

    id: int
    ruling_id: int
    party: str
    reason: str
    created_at: str
    reviewer: None | str
    decision: None | str
    decided_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        ruling_id = self.ruling_id

        party = self.party

        reason = self.reason

        created_at = self.created_at

        reviewer: None | str
        reviewer = self.reviewer

        decision: None | str
        decision = self.decision

        decided_at: None | str
        decided_at = self.decided_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "ruling_id": ruling_id,
            "party": party,
            "reason": reason,
            "created_at": created_at,
            "reviewer": reviewer,
            "decision": decision,
            "decided_at": decided_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        ruling_id = d.pop("ruling_id")

        party = d.pop("party")

        reason = d.pop("reason")

        created_at = d.pop("created_at")

        def _parse_reviewer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reviewer = _parse_reviewer(d.pop("reviewer"))


        def _parse_decision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decision = _parse_decision(d.pop("decision"))


        def _parse_decided_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))


        appeal = cls(
            id=id,
            ruling_id=ruling_id,
            party=party,
            reason=reason,
            created_at=created_at,
            reviewer=reviewer,
            decision=decision,
            decided_at=decided_at,
        )


        appeal.additional_properties = d
        return appeal

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
