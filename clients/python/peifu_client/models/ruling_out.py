from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="RulingOut")



@_attrs_define
class RulingOut:
    """ 
        Attributes:
            id (int):
            agent_id (str):
            outcome (str):
            case_type (None | str):
            refund_amount_fen (int):
            liable_party (str):
            compensations (list[str]):
            reasoning (str):
            automatic (bool):
            on_appeal (bool):
            supersedes (int | None):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
     """

    id: int
    agent_id: str
    outcome: str
    case_type: None | str
    refund_amount_fen: int
    liable_party: str
    compensations: list[str]
    reasoning: str
    automatic: bool
    on_appeal: bool
    supersedes: int | None
    created_at: Instant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        agent_id = self.agent_id

        outcome = self.outcome

        case_type: None | str
        case_type = self.case_type

        refund_amount_fen = self.refund_amount_fen

        liable_party = self.liable_party

        compensations = self.compensations



        reasoning = self.reasoning

        automatic = self.automatic

        on_appeal = self.on_appeal

        supersedes: int | None
        supersedes = self.supersedes

        created_at = self.created_at.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "agent_id": agent_id,
            "outcome": outcome,
            "case_type": case_type,
            "refund_amount_fen": refund_amount_fen,
            "liable_party": liable_party,
            "compensations": compensations,
            "reasoning": reasoning,
            "automatic": automatic,
            "on_appeal": on_appeal,
            "supersedes": supersedes,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        agent_id = d.pop("agent_id")

        outcome = d.pop("outcome")

        def _parse_case_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        case_type = _parse_case_type(d.pop("case_type"))


        refund_amount_fen = d.pop("refund_amount_fen")

        liable_party = d.pop("liable_party")

        compensations = cast(list[str], d.pop("compensations"))


        reasoning = d.pop("reasoning")

        automatic = d.pop("automatic")

        on_appeal = d.pop("on_appeal")

        def _parse_supersedes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        supersedes = _parse_supersedes(d.pop("supersedes"))


        created_at = Instant.from_dict(d.pop("created_at"))




        ruling_out = cls(
            id=id,
            agent_id=agent_id,
            outcome=outcome,
            case_type=case_type,
            refund_amount_fen=refund_amount_fen,
            liable_party=liable_party,
            compensations=compensations,
            reasoning=reasoning,
            automatic=automatic,
            on_appeal=on_appeal,
            supersedes=supersedes,
            created_at=created_at,
        )


        ruling_out.additional_properties = d
        return ruling_out

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
