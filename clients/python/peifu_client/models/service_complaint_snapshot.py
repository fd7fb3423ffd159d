from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.deadline import Deadline





T = TypeVar("T", bound="ServiceComplaintSnapshot")



@_attrs_define
class ServiceComplaintSnapshot:
    """ 
        Attributes:
            id (int):
            shop_id (str):
            buyer_id (str):
            order_id (None | str):
            case_id (int | None):
            channel (str): phone | email | online | chat | social_media
            entered_by (None | str): The agent who entered it for the buyer
            category (None | str):
            suggested_category (None | str):
            state (str): filed → registered → forwarded → contacted → remedy_proposed → awaiting_rating → closed; escalated
                (a shop step missed); withdrawn; dismissed
            filed_at (str):
            registered_at (None | str):
            forwarded_at (None | str):
            contacted_at (None | str):
            remedy (None | str):
            promised_by (None | str):
            done_at (None | str):
            escalated_at (None | str):
            closed_at (None | str):
            rating (int | None):
            policy_version (str):
            deadline (Deadline | None | Unset): What it waits on now (working days counted)
     """

    id: int
    shop_id: str
    buyer_id: str
    order_id: None | str
    case_id: int | None
    channel: str
    entered_by: None | str
    category: None | str
    suggested_category: None | str
    state: str
    filed_at: str
    registered_at: None | str
    forwarded_at: None | str
    contacted_at: None | str
    remedy: None | str
    promised_by: None | str
    done_at: None | str
    escalated_at: None | str
    closed_at: None | str
    rating: int | None
    policy_version: str
    deadline: Deadline | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.deadline import Deadline # noqa: PLC0415
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

        category: None | str
        category = self.category

        suggested_category: None | str
        suggested_category = self.suggested_category

        state = self.state

        filed_at = self.filed_at

        registered_at: None | str
        registered_at = self.registered_at

        forwarded_at: None | str
        forwarded_at = self.forwarded_at

        contacted_at: None | str
        contacted_at = self.contacted_at

        remedy: None | str
        remedy = self.remedy

        promised_by: None | str
        promised_by = self.promised_by

        done_at: None | str
        done_at = self.done_at

        escalated_at: None | str
        escalated_at = self.escalated_at

        closed_at: None | str
        closed_at = self.closed_at

        rating: int | None
        rating = self.rating

        policy_version = self.policy_version

        deadline: dict[str, Any] | None | Unset
        if isinstance(self.deadline, Unset):
            deadline = UNSET
        elif isinstance(self.deadline, Deadline):
            deadline = self.deadline.to_dict()
        else:
            deadline = self.deadline


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
            "category": category,
            "suggested_category": suggested_category,
            "state": state,
            "filed_at": filed_at,
            "registered_at": registered_at,
            "forwarded_at": forwarded_at,
            "contacted_at": contacted_at,
            "remedy": remedy,
            "promised_by": promised_by,
            "done_at": done_at,
            "escalated_at": escalated_at,
            "closed_at": closed_at,
            "rating": rating,
            "policy_version": policy_version,
        })
        if deadline is not UNSET:
            field_dict["deadline"] = deadline

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deadline import Deadline # noqa: PLC0415
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

        filed_at = d.pop("filed_at")

        def _parse_registered_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        registered_at = _parse_registered_at(d.pop("registered_at"))


        def _parse_forwarded_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        forwarded_at = _parse_forwarded_at(d.pop("forwarded_at"))


        def _parse_contacted_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        contacted_at = _parse_contacted_at(d.pop("contacted_at"))


        def _parse_remedy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        remedy = _parse_remedy(d.pop("remedy"))


        def _parse_promised_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        promised_by = _parse_promised_by(d.pop("promised_by"))


        def _parse_done_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        done_at = _parse_done_at(d.pop("done_at"))


        def _parse_escalated_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        escalated_at = _parse_escalated_at(d.pop("escalated_at"))


        def _parse_closed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))


        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))


        policy_version = d.pop("policy_version")

        def _parse_deadline(data: object) -> Deadline | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deadline_type_0 = Deadline.from_dict(data)



                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Deadline | None | Unset, data)

        deadline = _parse_deadline(d.pop("deadline", UNSET))


        service_complaint_snapshot = cls(
            id=id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            order_id=order_id,
            case_id=case_id,
            channel=channel,
            entered_by=entered_by,
            category=category,
            suggested_category=suggested_category,
            state=state,
            filed_at=filed_at,
            registered_at=registered_at,
            forwarded_at=forwarded_at,
            contacted_at=contacted_at,
            remedy=remedy,
            promised_by=promised_by,
            done_at=done_at,
            escalated_at=escalated_at,
            closed_at=closed_at,
            rating=rating,
            policy_version=policy_version,
            deadline=deadline,
        )


        service_complaint_snapshot.additional_properties = d
        return service_complaint_snapshot

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
