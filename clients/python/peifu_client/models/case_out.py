from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.case_line_out import CaseLineOut
  from ..models.case_money_out import CaseMoneyOut
  from ..models.case_out_allowed_actions import CaseOutAllowedActions
  from ..models.case_out_proposal_type_0 import CaseOutProposalType0
  from ..models.case_out_replacement_shipment_type_0 import CaseOutReplacementShipmentType0
  from ..models.case_out_return_shipment_type_0 import CaseOutReturnShipmentType0
  from ..models.case_triage_out import CaseTriageOut
  from ..models.deadline_out import DeadlineOut
  from ..models.instant import Instant
  from ..models.timeline_entry import TimelineEntry





T = TypeVar("T", bound="CaseOut")



@_attrs_define
class CaseOut:
    """ 
        Attributes:
            id (int):
            order_id (str):
            shop_id (str):
            buyer_id (str):
            case_type (str):
            reason (str):
            state (str):
            phase (str):
            description (str):
            refund_amount_fen (int):
            policy_version (str):
            opened_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            resolved_at (Instant | None):
            refuse_reason (None | str):
            proposal (CaseOutProposalType0 | None):
            return_shipment (CaseOutReturnShipmentType0 | None):
            replacement_shipment (CaseOutReplacementShipmentType0 | None):
            lines (list[CaseLineOut]):
            deadlines (list[DeadlineOut]): Pending deadlines and what happens when each falls due.
            allowed_actions (CaseOutAllowedActions): What each party may do now.
            timeline (list[TimelineEntry]):
            money (CaseMoneyOut):
            triage (CaseTriageOut | None | Unset): The triage of the description, if any.
     """

    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str
    state: str
    phase: str
    description: str
    refund_amount_fen: int
    policy_version: str
    opened_at: Instant
    resolved_at: Instant | None
    refuse_reason: None | str
    proposal: CaseOutProposalType0 | None
    return_shipment: CaseOutReturnShipmentType0 | None
    replacement_shipment: CaseOutReplacementShipmentType0 | None
    lines: list[CaseLineOut]
    deadlines: list[DeadlineOut]
    allowed_actions: CaseOutAllowedActions
    timeline: list[TimelineEntry]
    money: CaseMoneyOut
    triage: CaseTriageOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_line_out import CaseLineOut # noqa: PLC0415
        from ..models.case_money_out import CaseMoneyOut # noqa: PLC0415
        from ..models.case_out_allowed_actions import CaseOutAllowedActions # noqa: PLC0415
        from ..models.case_out_proposal_type_0 import CaseOutProposalType0 # noqa: PLC0415
        from ..models.case_out_replacement_shipment_type_0 import CaseOutReplacementShipmentType0 # noqa: PLC0415
        from ..models.case_out_return_shipment_type_0 import CaseOutReturnShipmentType0 # noqa: PLC0415
        from ..models.case_triage_out import CaseTriageOut # noqa: PLC0415
        from ..models.deadline_out import DeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.timeline_entry import TimelineEntry # noqa: PLC0415
        id = self.id

        order_id = self.order_id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        case_type = self.case_type

        reason = self.reason

        state = self.state

        phase = self.phase

        description = self.description

        refund_amount_fen = self.refund_amount_fen

        policy_version = self.policy_version

        opened_at = self.opened_at.to_dict()

        resolved_at: dict[str, Any] | None
        if isinstance(self.resolved_at, Instant):
            resolved_at = self.resolved_at.to_dict()
        else:
            resolved_at = self.resolved_at

        refuse_reason: None | str
        refuse_reason = self.refuse_reason

        proposal: dict[str, Any] | None
        if isinstance(self.proposal, CaseOutProposalType0):
            proposal = self.proposal.to_dict()
        else:
            proposal = self.proposal

        return_shipment: dict[str, Any] | None
        if isinstance(self.return_shipment, CaseOutReturnShipmentType0):
            return_shipment = self.return_shipment.to_dict()
        else:
            return_shipment = self.return_shipment

        replacement_shipment: dict[str, Any] | None
        if isinstance(self.replacement_shipment, CaseOutReplacementShipmentType0):
            replacement_shipment = self.replacement_shipment.to_dict()
        else:
            replacement_shipment = self.replacement_shipment

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        deadlines = []
        for deadlines_item_data in self.deadlines:
            deadlines_item = deadlines_item_data.to_dict()
            deadlines.append(deadlines_item)



        allowed_actions = self.allowed_actions.to_dict()

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)



        money = self.money.to_dict()

        triage: dict[str, Any] | None | Unset
        if isinstance(self.triage, Unset):
            triage = UNSET
        elif isinstance(self.triage, CaseTriageOut):
            triage = self.triage.to_dict()
        else:
            triage = self.triage


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "order_id": order_id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "case_type": case_type,
            "reason": reason,
            "state": state,
            "phase": phase,
            "description": description,
            "refund_amount_fen": refund_amount_fen,
            "policy_version": policy_version,
            "opened_at": opened_at,
            "resolved_at": resolved_at,
            "refuse_reason": refuse_reason,
            "proposal": proposal,
            "return_shipment": return_shipment,
            "replacement_shipment": replacement_shipment,
            "lines": lines,
            "deadlines": deadlines,
            "allowed_actions": allowed_actions,
            "timeline": timeline,
            "money": money,
        })
        if triage is not UNSET:
            field_dict["triage"] = triage

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_line_out import CaseLineOut # noqa: PLC0415
        from ..models.case_money_out import CaseMoneyOut # noqa: PLC0415
        from ..models.case_out_allowed_actions import CaseOutAllowedActions # noqa: PLC0415
        from ..models.case_out_proposal_type_0 import CaseOutProposalType0 # noqa: PLC0415
        from ..models.case_out_replacement_shipment_type_0 import CaseOutReplacementShipmentType0 # noqa: PLC0415
        from ..models.case_out_return_shipment_type_0 import CaseOutReturnShipmentType0 # noqa: PLC0415
        from ..models.case_triage_out import CaseTriageOut # noqa: PLC0415
        from ..models.deadline_out import DeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.timeline_entry import TimelineEntry # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        case_type = d.pop("case_type")

        reason = d.pop("reason")

        state = d.pop("state")

        phase = d.pop("phase")

        description = d.pop("description")

        refund_amount_fen = d.pop("refund_amount_fen")

        policy_version = d.pop("policy_version")

        opened_at = Instant.from_dict(d.pop("opened_at"))




        def _parse_resolved_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resolved_at_type_0 = Instant.from_dict(data)



                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))


        def _parse_refuse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        refuse_reason = _parse_refuse_reason(d.pop("refuse_reason"))


        def _parse_proposal(data: object) -> CaseOutProposalType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                proposal_type_0 = CaseOutProposalType0.from_dict(data)



                return proposal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseOutProposalType0 | None, data)

        proposal = _parse_proposal(d.pop("proposal"))


        def _parse_return_shipment(data: object) -> CaseOutReturnShipmentType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                return_shipment_type_0 = CaseOutReturnShipmentType0.from_dict(data)



                return return_shipment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseOutReturnShipmentType0 | None, data)

        return_shipment = _parse_return_shipment(d.pop("return_shipment"))


        def _parse_replacement_shipment(data: object) -> CaseOutReplacementShipmentType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                replacement_shipment_type_0 = CaseOutReplacementShipmentType0.from_dict(data)



                return replacement_shipment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseOutReplacementShipmentType0 | None, data)

        replacement_shipment = _parse_replacement_shipment(d.pop("replacement_shipment"))


        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = CaseLineOut.from_dict(lines_item_data)



            lines.append(lines_item)


        deadlines = []
        _deadlines = d.pop("deadlines")
        for deadlines_item_data in (_deadlines):
            deadlines_item = DeadlineOut.from_dict(deadlines_item_data)



            deadlines.append(deadlines_item)


        allowed_actions = CaseOutAllowedActions.from_dict(d.pop("allowed_actions"))




        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in (_timeline):
            timeline_item = TimelineEntry.from_dict(timeline_item_data)



            timeline.append(timeline_item)


        money = CaseMoneyOut.from_dict(d.pop("money"))




        def _parse_triage(data: object) -> CaseTriageOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                triage_type_0 = CaseTriageOut.from_dict(data)



                return triage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseTriageOut | None | Unset, data)

        triage = _parse_triage(d.pop("triage", UNSET))


        case_out = cls(
            id=id,
            order_id=order_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            case_type=case_type,
            reason=reason,
            state=state,
            phase=phase,
            description=description,
            refund_amount_fen=refund_amount_fen,
            policy_version=policy_version,
            opened_at=opened_at,
            resolved_at=resolved_at,
            refuse_reason=refuse_reason,
            proposal=proposal,
            return_shipment=return_shipment,
            replacement_shipment=replacement_shipment,
            lines=lines,
            deadlines=deadlines,
            allowed_actions=allowed_actions,
            timeline=timeline,
            money=money,
            triage=triage,
        )


        case_out.additional_properties = d
        return case_out

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
