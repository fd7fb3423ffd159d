from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ComplaintSnapshot")



@_attrs_define
class ComplaintSnapshot:
    """ 
        Attributes:
            id (int):
            order_id (str):
            case_id (int | None):
            complaint_type (str):
            violation (str):
            status (str): open | upheld | rejected | withdrawn | overturned
            filed_at (str):
            decided_at (None | str):
            reasoning (None | str):
            appeal_deadline (None | str):
            appealed_at (None | str):
            appeal_decision (None | str):
     """

    id: int
    order_id: str
    case_id: int | None
    complaint_type: str
    violation: str
    status: str
    filed_at: str
    decided_at: None | str
    reasoning: None | str
    appeal_deadline: None | str
    appealed_at: None | str
    appeal_decision: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        order_id = self.order_id

        case_id: int | None
        case_id = self.case_id

        complaint_type = self.complaint_type

        violation = self.violation

        status = self.status

        filed_at = self.filed_at

        decided_at: None | str
        decided_at = self.decided_at

        reasoning: None | str
        reasoning = self.reasoning

        appeal_deadline: None | str
        appeal_deadline = self.appeal_deadline

        appealed_at: None | str
        appealed_at = self.appealed_at

        appeal_decision: None | str
        appeal_decision = self.appeal_decision


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "order_id": order_id,
            "case_id": case_id,
            "complaint_type": complaint_type,
            "violation": violation,
            "status": status,
            "filed_at": filed_at,
            "decided_at": decided_at,
            "reasoning": reasoning,
            "appeal_deadline": appeal_deadline,
            "appealed_at": appealed_at,
            "appeal_decision": appeal_decision,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        def _parse_case_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        case_id = _parse_case_id(d.pop("case_id"))


        complaint_type = d.pop("complaint_type")

        violation = d.pop("violation")

        status = d.pop("status")

        filed_at = d.pop("filed_at")

        def _parse_decided_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))


        def _parse_reasoning(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reasoning = _parse_reasoning(d.pop("reasoning"))


        def _parse_appeal_deadline(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_deadline = _parse_appeal_deadline(d.pop("appeal_deadline"))


        def _parse_appealed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appealed_at = _parse_appealed_at(d.pop("appealed_at"))


        def _parse_appeal_decision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_decision = _parse_appeal_decision(d.pop("appeal_decision"))


        complaint_snapshot = cls(
            id=id,
            order_id=order_id,
            case_id=case_id,
            complaint_type=complaint_type,
            violation=violation,
            status=status,
            filed_at=filed_at,
            decided_at=decided_at,
            reasoning=reasoning,
            appeal_deadline=appeal_deadline,
            appealed_at=appealed_at,
            appeal_decision=appeal_decision,
        )


        complaint_snapshot.additional_properties = d
        return complaint_snapshot

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
