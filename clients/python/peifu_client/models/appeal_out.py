from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="AppealOut")



@_attrs_define
class AppealOut:
    """ 
        Attributes:
            party (str):
            reason (str):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            reviewer (None | str):
            decision (None | str):
            decided_at (Instant | None):
     """

    party: str
    reason: str
    created_at: Instant
    reviewer: None | str
    decision: None | str
    decided_at: Instant | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        party = self.party

        reason = self.reason

        created_at = self.created_at.to_dict()

        reviewer: None | str
        reviewer = self.reviewer

        decision: None | str
        decision = self.decision

        decided_at: dict[str, Any] | None
        if isinstance(self.decided_at, Instant):
            decided_at = self.decided_at.to_dict()
        else:
            decided_at = self.decided_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
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
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        party = d.pop("party")

        reason = d.pop("reason")

        created_at = Instant.from_dict(d.pop("created_at"))




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


        def _parse_decided_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decided_at_type_0 = Instant.from_dict(data)



                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))


        appeal_out = cls(
            party=party,
            reason=reason,
            created_at=created_at,
            reviewer=reviewer,
            decision=decision,
            decided_at=decided_at,
        )


        appeal_out.additional_properties = d
        return appeal_out

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
