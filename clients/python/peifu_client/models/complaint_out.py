from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="ComplaintOut")



@_attrs_define
class ComplaintOut:
    """ 
        Attributes:
            id (int):
            order_id (str):
            case_id (int | None):
            shop_id (str):
            buyer_id (str):
            complaint_type (str):
            violation (str):
            description (str):
            policy_version (str):
            status (str): open → upheld | rejected | withdrawn; upheld → overturned on appeal
            filed_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            decided_by (None | str):
            decided_at (Instant | None):
            reasoning (None | str):
            appeal_deadline (Instant | None):
            appeal_reason (None | str):
            appeal_decision (None | str):
     """

    id: int
    order_id: str
    case_id: int | None
    shop_id: str
    buyer_id: str
    complaint_type: str
    violation: str
    description: str
    policy_version: str
    status: str
    filed_at: Instant
    decided_by: None | str
    decided_at: Instant | None
    reasoning: None | str
    appeal_deadline: Instant | None
    appeal_reason: None | str
    appeal_decision: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        order_id = self.order_id

        case_id: int | None
        case_id = self.case_id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        complaint_type = self.complaint_type

        violation = self.violation

        description = self.description

        policy_version = self.policy_version

        status = self.status

        filed_at = self.filed_at.to_dict()

        decided_by: None | str
        decided_by = self.decided_by

        decided_at: dict[str, Any] | None
        if isinstance(self.decided_at, Instant):
            decided_at = self.decided_at.to_dict()
        else:
            decided_at = self.decided_at

        reasoning: None | str
        reasoning = self.reasoning

        appeal_deadline: dict[str, Any] | None
        if isinstance(self.appeal_deadline, Instant):
            appeal_deadline = self.appeal_deadline.to_dict()
        else:
            appeal_deadline = self.appeal_deadline

        appeal_reason: None | str
        appeal_reason = self.appeal_reason

        appeal_decision: None | str
        appeal_decision = self.appeal_decision


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "order_id": order_id,
            "case_id": case_id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "complaint_type": complaint_type,
            "violation": violation,
            "description": description,
            "policy_version": policy_version,
            "status": status,
            "filed_at": filed_at,
            "decided_by": decided_by,
            "decided_at": decided_at,
            "reasoning": reasoning,
            "appeal_deadline": appeal_deadline,
            "appeal_reason": appeal_reason,
            "appeal_decision": appeal_decision,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        def _parse_case_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        case_id = _parse_case_id(d.pop("case_id"))


        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        complaint_type = d.pop("complaint_type")

        violation = d.pop("violation")

        description = d.pop("description")

        policy_version = d.pop("policy_version")

        status = d.pop("status")

        filed_at = Instant.from_dict(d.pop("filed_at"))




        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))


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


        def _parse_reasoning(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reasoning = _parse_reasoning(d.pop("reasoning"))


        def _parse_appeal_deadline(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                appeal_deadline_type_0 = Instant.from_dict(data)



                return appeal_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        appeal_deadline = _parse_appeal_deadline(d.pop("appeal_deadline"))


        def _parse_appeal_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_reason = _parse_appeal_reason(d.pop("appeal_reason"))


        def _parse_appeal_decision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_decision = _parse_appeal_decision(d.pop("appeal_decision"))


        complaint_out = cls(
            id=id,
            order_id=order_id,
            case_id=case_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            complaint_type=complaint_type,
            violation=violation,
            description=description,
            policy_version=policy_version,
            status=status,
            filed_at=filed_at,
            decided_by=decided_by,
            decided_at=decided_at,
            reasoning=reasoning,
            appeal_deadline=appeal_deadline,
            appeal_reason=appeal_reason,
            appeal_decision=appeal_decision,
        )


        complaint_out.additional_properties = d
        return complaint_out

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
