from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.complaint_deadline_out import ComplaintDeadlineOut
  from ..models.instant import Instant
  from ..models.service_complaint_out_allowed_actions import ServiceComplaintOutAllowedActions





T = TypeVar("T", bound="ServiceComplaintOut")



@_attrs_define
class ServiceComplaintOut:
    """ 
        Attributes:
            id (int):
            shop_id (str):
            buyer_id (str):
            order_id (None | str):
            case_id (int | None):
            channel (str): phone | email | online | chat | social_media
            entered_by (None | str): The agent who entered it for the buyer
            description (str):
            category (None | str):
            suggested_category (None | str): What the triage suggested from the text
            state (str):
            policy_version (str):
            filed (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            forwarded (Instant | None):
            contacted (Instant | None):
            remedy (None | str):
            promised_by (Instant | None):
            result (None | str):
            escalated (Instant | None):
            closed (Instant | None):
            rating (int | None):
            rating_comment (None | str):
            deadline (ComplaintDeadlineOut | None): What the complaint waits on now; it acts by itself
            allowed_actions (ServiceComplaintOutAllowedActions): role → the moves the table allows now
     """

    id: int
    shop_id: str
    buyer_id: str
    order_id: None | str
    case_id: int | None
    channel: str
    entered_by: None | str
    description: str
    category: None | str
    suggested_category: None | str
    state: str
    policy_version: str
    filed: Instant
    forwarded: Instant | None
    contacted: Instant | None
    remedy: None | str
    promised_by: Instant | None
    result: None | str
    escalated: Instant | None
    closed: Instant | None
    rating: int | None
    rating_comment: None | str
    deadline: ComplaintDeadlineOut | None
    allowed_actions: ServiceComplaintOutAllowedActions
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.complaint_deadline_out import ComplaintDeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.service_complaint_out_allowed_actions import ServiceComplaintOutAllowedActions # noqa: PLC0415
        id = self.id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        order_id: None | str
        order_id = self.order_id

        case_id: int | None
        case_id = self.case_id

        channel = self.channel

        entered_by: None | str
        entered_by = self.entered_by

        description = self.description

        category: None | str
        category = self.category

        suggested_category: None | str
        suggested_category = self.suggested_category

        state = self.state

        policy_version = self.policy_version

        filed = self.filed.to_dict()

        forwarded: dict[str, Any] | None
        if isinstance(self.forwarded, Instant):
            forwarded = self.forwarded.to_dict()
        else:
            forwarded = self.forwarded

        contacted: dict[str, Any] | None
        if isinstance(self.contacted, Instant):
            contacted = self.contacted.to_dict()
        else:
            contacted = self.contacted

        remedy: None | str
        remedy = self.remedy

        promised_by: dict[str, Any] | None
        if isinstance(self.promised_by, Instant):
            promised_by = self.promised_by.to_dict()
        else:
            promised_by = self.promised_by

        result: None | str
        result = self.result

        escalated: dict[str, Any] | None
        if isinstance(self.escalated, Instant):
            escalated = self.escalated.to_dict()
        else:
            escalated = self.escalated

        closed: dict[str, Any] | None
        if isinstance(self.closed, Instant):
            closed = self.closed.to_dict()
        else:
            closed = self.closed

        rating: int | None
        rating = self.rating

        rating_comment: None | str
        rating_comment = self.rating_comment

        deadline: dict[str, Any] | None
        if isinstance(self.deadline, ComplaintDeadlineOut):
            deadline = self.deadline.to_dict()
        else:
            deadline = self.deadline

        allowed_actions = self.allowed_actions.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "order_id": order_id,
            "case_id": case_id,
            "channel": channel,
            "entered_by": entered_by,
            "description": description,
            "category": category,
            "suggested_category": suggested_category,
            "state": state,
            "policy_version": policy_version,
            "filed": filed,
            "forwarded": forwarded,
            "contacted": contacted,
            "remedy": remedy,
            "promised_by": promised_by,
            "result": result,
            "escalated": escalated,
            "closed": closed,
            "rating": rating,
            "rating_comment": rating_comment,
            "deadline": deadline,
            "allowed_actions": allowed_actions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.complaint_deadline_out import ComplaintDeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.service_complaint_out_allowed_actions import ServiceComplaintOutAllowedActions # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("order_id"))


        def _parse_case_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        case_id = _parse_case_id(d.pop("case_id"))


        channel = d.pop("channel")

        def _parse_entered_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entered_by = _parse_entered_by(d.pop("entered_by"))


        description = d.pop("description")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_suggested_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        suggested_category = _parse_suggested_category(d.pop("suggested_category"))


        state = d.pop("state")

        policy_version = d.pop("policy_version")

        filed = Instant.from_dict(d.pop("filed"))




        def _parse_forwarded(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                forwarded_type_0 = Instant.from_dict(data)



                return forwarded_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        forwarded = _parse_forwarded(d.pop("forwarded"))


        def _parse_contacted(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contacted_type_0 = Instant.from_dict(data)



                return contacted_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        contacted = _parse_contacted(d.pop("contacted"))


        def _parse_remedy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        remedy = _parse_remedy(d.pop("remedy"))


        def _parse_promised_by(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                promised_by_type_0 = Instant.from_dict(data)



                return promised_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        promised_by = _parse_promised_by(d.pop("promised_by"))


        def _parse_result(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result = _parse_result(d.pop("result"))


        def _parse_escalated(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                escalated_type_0 = Instant.from_dict(data)



                return escalated_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        escalated = _parse_escalated(d.pop("escalated"))


        def _parse_closed(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                closed_type_0 = Instant.from_dict(data)



                return closed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        closed = _parse_closed(d.pop("closed"))


        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))


        def _parse_rating_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rating_comment = _parse_rating_comment(d.pop("rating_comment"))


        def _parse_deadline(data: object) -> ComplaintDeadlineOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deadline_type_0 = ComplaintDeadlineOut.from_dict(data)



                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ComplaintDeadlineOut | None, data)

        deadline = _parse_deadline(d.pop("deadline"))


        allowed_actions = ServiceComplaintOutAllowedActions.from_dict(d.pop("allowed_actions"))




        service_complaint_out = cls(
            id=id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            order_id=order_id,
            case_id=case_id,
            channel=channel,
            entered_by=entered_by,
            description=description,
            category=category,
            suggested_category=suggested_category,
            state=state,
            policy_version=policy_version,
            filed=filed,
            forwarded=forwarded,
            contacted=contacted,
            remedy=remedy,
            promised_by=promised_by,
            result=result,
            escalated=escalated,
            closed=closed,
            rating=rating,
            rating_comment=rating_comment,
            deadline=deadline,
            allowed_actions=allowed_actions,
        )


        service_complaint_out.additional_properties = d
        return service_complaint_out

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
