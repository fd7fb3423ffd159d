from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.duty import Duty





T = TypeVar("T", bound="DisputeSnapshot")



@_attrs_define
class DisputeSnapshot:
    """ 
        Attributes:
            id (int):
            case_id (int):
            status (str): evidence | review | ruled | appealed | final
            opened_at (str):
            opened_by (str):
            evidence_deadline (str):
            amount_fen (int):
            duties (list[Duty]): 谁主张，谁举证: who must prove what.
            assigned_agent (None | str):
            liable_party (None | str):
            appeal_deadline (None | str):
            closed_at (None | str):
     """

    id: int
    case_id: int
    status: str
    opened_at: str
    opened_by: str
    evidence_deadline: str
    amount_fen: int
    duties: list[Duty]
    assigned_agent: None | str
    liable_party: None | str
    appeal_deadline: None | str
    closed_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.duty import Duty # noqa: PLC0415
        id = self.id

        case_id = self.case_id

        status = self.status

        opened_at = self.opened_at

        opened_by = self.opened_by

        evidence_deadline = self.evidence_deadline

        amount_fen = self.amount_fen

        duties = []
        for duties_item_data in self.duties:
            duties_item = duties_item_data.to_dict()
            duties.append(duties_item)



        assigned_agent: None | str
        assigned_agent = self.assigned_agent

        liable_party: None | str
        liable_party = self.liable_party

        appeal_deadline: None | str
        appeal_deadline = self.appeal_deadline

        closed_at: None | str
        closed_at = self.closed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "case_id": case_id,
            "status": status,
            "opened_at": opened_at,
            "opened_by": opened_by,
            "evidence_deadline": evidence_deadline,
            "amount_fen": amount_fen,
            "duties": duties,
            "assigned_agent": assigned_agent,
            "liable_party": liable_party,
            "appeal_deadline": appeal_deadline,
            "closed_at": closed_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duty import Duty # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        case_id = d.pop("case_id")

        status = d.pop("status")

        opened_at = d.pop("opened_at")

        opened_by = d.pop("opened_by")

        evidence_deadline = d.pop("evidence_deadline")

        amount_fen = d.pop("amount_fen")

        duties = []
        _duties = d.pop("duties")
        for duties_item_data in (_duties):
            duties_item = Duty.from_dict(duties_item_data)



            duties.append(duties_item)


        def _parse_assigned_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assigned_agent = _parse_assigned_agent(d.pop("assigned_agent"))


        def _parse_liable_party(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        liable_party = _parse_liable_party(d.pop("liable_party"))


        def _parse_appeal_deadline(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_deadline = _parse_appeal_deadline(d.pop("appeal_deadline"))


        def _parse_closed_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))


        dispute_snapshot = cls(
            id=id,
            case_id=case_id,
            status=status,
            opened_at=opened_at,
            opened_by=opened_by,
            evidence_deadline=evidence_deadline,
            amount_fen=amount_fen,
            duties=duties,
            assigned_agent=assigned_agent,
            liable_party=liable_party,
            appeal_deadline=appeal_deadline,
            closed_at=closed_at,
        )


        dispute_snapshot.additional_properties = d
        return dispute_snapshot

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
