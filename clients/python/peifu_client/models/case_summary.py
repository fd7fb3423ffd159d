from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.case_triage_out import CaseTriageOut
  from ..models.deadline_out import DeadlineOut
  from ..models.instant import Instant





T = TypeVar("T", bound="CaseSummary")



@_attrs_define
class CaseSummary:
    """ 
        Attributes:
            id (int):
            order_id (str):
            shop_id (str):
            buyer_id (str):
            case_type (str):
            reason (str):
            state (str):
            refund_amount_fen (int):
            opened_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            next_deadline (DeadlineOut | None):
            triage (CaseTriageOut | None | Unset):
     """

    id: int
    order_id: str
    shop_id: str
    buyer_id: str
    case_type: str
    reason: str
    state: str
    refund_amount_fen: int
    opened_at: Instant
    next_deadline: DeadlineOut | None
    triage: CaseTriageOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_triage_out import CaseTriageOut # noqa: PLC0415
        from ..models.deadline_out import DeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        order_id = self.order_id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        case_type = self.case_type

        reason = self.reason

        state = self.state

        refund_amount_fen = self.refund_amount_fen

        opened_at = self.opened_at.to_dict()

        next_deadline: dict[str, Any] | None
        if isinstance(self.next_deadline, DeadlineOut):
            next_deadline = self.next_deadline.to_dict()
        else:
            next_deadline = self.next_deadline

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
            "refund_amount_fen": refund_amount_fen,
            "opened_at": opened_at,
            "next_deadline": next_deadline,
        })
        if triage is not UNSET:
            field_dict["triage"] = triage

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_triage_out import CaseTriageOut # noqa: PLC0415
        from ..models.deadline_out import DeadlineOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        order_id = d.pop("order_id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        case_type = d.pop("case_type")

        reason = d.pop("reason")

        state = d.pop("state")

        refund_amount_fen = d.pop("refund_amount_fen")

        opened_at = Instant.from_dict(d.pop("opened_at"))




        def _parse_next_deadline(data: object) -> DeadlineOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_deadline_type_0 = DeadlineOut.from_dict(data)



                return next_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeadlineOut | None, data)

        next_deadline = _parse_next_deadline(d.pop("next_deadline"))


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


        case_summary = cls(
            id=id,
            order_id=order_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            case_type=case_type,
            reason=reason,
            state=state,
            refund_amount_fen=refund_amount_fen,
            opened_at=opened_at,
            next_deadline=next_deadline,
            triage=triage,
        )


        case_summary.additional_properties = d
        return case_summary

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
