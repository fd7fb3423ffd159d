from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.case_line_amount import CaseLineAmount
  from ..models.case_snapshot_proposal_type_0 import CaseSnapshotProposalType0
  from ..models.deadline import Deadline
  from ..models.replacement import Replacement
  from ..models.return_parcel import ReturnParcel





T = TypeVar("T", bound="CaseSnapshot")



@_attrs_define
class CaseSnapshot:
    """ 
        Attributes:
            id (int):
            order_id (str):
            shop_id (str):
            buyer_id (str):
            case_type (str):
            reason (str): The buyer's stated reason: a claim, not a finding.
            state (str):
            phase (str): in_trade | post_trade
            refund_amount_fen (int):
            lines (list[CaseLineAmount]):
            opened_at (str):
            state_entered_at (str):
            resolved_at (None | str):
            escalated_at (None | str):
            policy_version (str):
            proposal (CaseSnapshotProposalType0 | None): The seller's proposal waiting for the buyer, if any.
            return_ (None | ReturnParcel):
            replacement (None | Replacement):
            deadline (Deadline | None): The deadline that acts by itself in this state, if any.
     """

    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str
    state: str
    phase: str
    refund_amount_fen: int
    lines: list[CaseLineAmount]
    opened_at: str
    state_entered_at: str
    resolved_at: None | str
    escalated_at: None | str
    policy_version: str
    proposal: CaseSnapshotProposalType0 | None
    return_: None | ReturnParcel
    replacement: None | Replacement
    deadline: Deadline | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_line_amount import CaseLineAmount # noqa: PLC0415
        from ..models.case_snapshot_proposal_type_0 import CaseSnapshotProposalType0 # noqa: PLC0415
        from ..models.deadline import Deadline # noqa: PLC0415
        from ..models.replacement import Replacement # noqa: PLC0415
        from ..models.return_parcel import ReturnParcel # noqa: PLC0415
        id = self.id

        order_id = self.order_id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        case_type = self.case_type

        reason = self.reason

        state = self.state

        phase = self.phase

        refund_amount_fen = self.refund_amount_fen

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        opened_at = self.opened_at

        state_entered_at = self.state_entered_at

        resolved_at: None | str
        resolved_at = self.resolved_at

        escalated_at: None | str
        escalated_at = self.escalated_at

        policy_version = self.policy_version

        proposal: dict[str, Any] | None
        if isinstance(self.proposal, CaseSnapshotProposalType0):
            proposal = self.proposal.to_dict()
        else:
            proposal = self.proposal

        return_: dict[str, Any] | None
        if isinstance(self.return_, ReturnParcel):
            return_ = self.return_.to_dict()
        else:
            return_ = self.return_

        replacement: dict[str, Any] | None
        if isinstance(self.replacement, Replacement):
            replacement = self.replacement.to_dict()
        else:
            replacement = self.replacement

        deadline: dict[str, Any] | None
        if isinstance(self.deadline, Deadline):
            deadline = self.deadline.to_dict()
        else:
            deadline = self.deadline


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
            "refund_amount_fen": refund_amount_fen,
            "lines": lines,
            "opened_at": opened_at,
            "state_entered_at": state_entered_at,
            "resolved_at": resolved_at,
            "escalated_at": escalated_at,
            "policy_version": policy_version,
            "proposal": proposal,
            "return": return_,
            "replacement": replacement,
            "deadline": deadline,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_line_amount import CaseLineAmount # noqa: PLC0415
        from ..models.case_snapshot_proposal_type_0 import CaseSnapshotProposalType0 # noqa: PLC0415
        from ..models.deadline import Deadline # noqa: PLC0415
        from ..models.replacement import Replacement # noqa: PLC0415
        from ..models.return_parcel import ReturnParcel # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        case_type = d.pop("case_type")

        reason = d.pop("reason")

        state = d.pop("state")

        phase = d.pop("phase")

        refund_amount_fen = d.pop("refund_amount_fen")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = CaseLineAmount.from_dict(lines_item_data)



            lines.append(lines_item)


        opened_at = d.pop("opened_at")

        state_entered_at = d.pop("state_entered_at")

        def _parse_resolved_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))


        def _parse_escalated_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        escalated_at = _parse_escalated_at(d.pop("escalated_at"))


        policy_version = d.pop("policy_version")

        def _parse_proposal(data: object) -> CaseSnapshotProposalType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                proposal_type_0 = CaseSnapshotProposalType0.from_dict(data)



                return proposal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseSnapshotProposalType0 | None, data)

        proposal = _parse_proposal(d.pop("proposal"))


        def _parse_return_(data: object) -> None | ReturnParcel:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                return_type_0 = ReturnParcel.from_dict(data)



                return return_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReturnParcel, data)

        return_ = _parse_return_(d.pop("return"))


        def _parse_replacement(data: object) -> None | Replacement:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                replacement_type_0 = Replacement.from_dict(data)



                return replacement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Replacement, data)

        replacement = _parse_replacement(d.pop("replacement"))


        def _parse_deadline(data: object) -> Deadline | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deadline_type_0 = Deadline.from_dict(data)



                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Deadline | None, data)

        deadline = _parse_deadline(d.pop("deadline"))


        case_snapshot = cls(
            id=id,
            order_id=order_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            case_type=case_type,
            reason=reason,
            state=state,
            phase=phase,
            refund_amount_fen=refund_amount_fen,
            lines=lines,
            opened_at=opened_at,
            state_entered_at=state_entered_at,
            resolved_at=resolved_at,
            escalated_at=escalated_at,
            policy_version=policy_version,
            proposal=proposal,
            return_=return_,
            replacement=replacement,
            deadline=deadline,
        )


        case_snapshot.additional_properties = d
        return case_snapshot

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
