from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.appeal_out import AppealOut
  from ..models.dispute_out_burden_of_proof_item import DisputeOutBurdenOfProofItem
  from ..models.dispute_out_guidance import DisputeOutGuidance
  from ..models.evidence_out import EvidenceOut
  from ..models.instant import Instant
  from ..models.ruling_out import RulingOut





T = TypeVar("T", bound="DisputeOut")



@_attrs_define
class DisputeOut:
    """ 
        Attributes:
            id (int):
            case_id (int):
            shop_id (str):
            buyer_id (str):
            status (str): evidence → review (ready for an agent) → ruled → appealed → final
            opened_by (str):
            opened_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            assigned_agent (None | str):
            evidence_deadline (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            appeal_deadline (Instant | None):
            amount_fen (int):
            burden_of_proof (list[DisputeOutBurdenOfProofItem]): 谁主张，谁举证: the facts each party must prove
            guidance (DisputeOutGuidance): What the platform's precedents (seed 004) suggest
            liable_party (None | str):
            evidence (list[EvidenceOut]):
            rulings (list[RulingOut]):
            appeal (AppealOut | None):
     """

    id: int
    case_id: int
    shop_id: str
    buyer_id: str
    status: str
    opened_by: str
    opened_at: Instant
    assigned_agent: None | str
    evidence_deadline: Instant
    appeal_deadline: Instant | None
    amount_fen: int
    burden_of_proof: list[DisputeOutBurdenOfProofItem]
    guidance: DisputeOutGuidance
    liable_party: None | str
    evidence: list[EvidenceOut]
    rulings: list[RulingOut]
    appeal: AppealOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.appeal_out import AppealOut # noqa: PLC0415
        from ..models.dispute_out_burden_of_proof_item import DisputeOutBurdenOfProofItem # noqa: PLC0415
        from ..models.dispute_out_guidance import DisputeOutGuidance # noqa: PLC0415
        from ..models.evidence_out import EvidenceOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.ruling_out import RulingOut # noqa: PLC0415
        id = self.id

        case_id = self.case_id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        status = self.status

        opened_by = self.opened_by

        opened_at = self.opened_at.to_dict()

        assigned_agent: None | str
        assigned_agent = self.assigned_agent

        evidence_deadline = self.evidence_deadline.to_dict()

        appeal_deadline: dict[str, Any] | None
        if isinstance(self.appeal_deadline, Instant):
            appeal_deadline = self.appeal_deadline.to_dict()
        else:
            appeal_deadline = self.appeal_deadline

        amount_fen = self.amount_fen

        burden_of_proof = []
        for burden_of_proof_item_data in self.burden_of_proof:
            burden_of_proof_item = burden_of_proof_item_data.to_dict()
            burden_of_proof.append(burden_of_proof_item)



        guidance = self.guidance.to_dict()

        liable_party: None | str
        liable_party = self.liable_party

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)



        rulings = []
        for rulings_item_data in self.rulings:
            rulings_item = rulings_item_data.to_dict()
            rulings.append(rulings_item)



        appeal: dict[str, Any] | None
        if isinstance(self.appeal, AppealOut):
            appeal = self.appeal.to_dict()
        else:
            appeal = self.appeal


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "case_id": case_id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "status": status,
            "opened_by": opened_by,
            "opened_at": opened_at,
            "assigned_agent": assigned_agent,
            "evidence_deadline": evidence_deadline,
            "appeal_deadline": appeal_deadline,
            "amount_fen": amount_fen,
            "burden_of_proof": burden_of_proof,
            "guidance": guidance,
            "liable_party": liable_party,
            "evidence": evidence,
            "rulings": rulings,
            "appeal": appeal,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.appeal_out import AppealOut # noqa: PLC0415
        from ..models.dispute_out_burden_of_proof_item import DisputeOutBurdenOfProofItem # noqa: PLC0415
        from ..models.dispute_out_guidance import DisputeOutGuidance # noqa: PLC0415
        from ..models.evidence_out import EvidenceOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.ruling_out import RulingOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        case_id = d.pop("case_id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        status = d.pop("status")

        opened_by = d.pop("opened_by")

        opened_at = Instant.from_dict(d.pop("opened_at"))




        def _parse_assigned_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assigned_agent = _parse_assigned_agent(d.pop("assigned_agent"))


        evidence_deadline = Instant.from_dict(d.pop("evidence_deadline"))




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


        amount_fen = d.pop("amount_fen")

        burden_of_proof = []
        _burden_of_proof = d.pop("burden_of_proof")
        for burden_of_proof_item_data in (_burden_of_proof):
            burden_of_proof_item = DisputeOutBurdenOfProofItem.from_dict(burden_of_proof_item_data)



            burden_of_proof.append(burden_of_proof_item)


        guidance = DisputeOutGuidance.from_dict(d.pop("guidance"))




        def _parse_liable_party(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        liable_party = _parse_liable_party(d.pop("liable_party"))


        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in (_evidence):
            evidence_item = EvidenceOut.from_dict(evidence_item_data)



            evidence.append(evidence_item)


        rulings = []
        _rulings = d.pop("rulings")
        for rulings_item_data in (_rulings):
            rulings_item = RulingOut.from_dict(rulings_item_data)



            rulings.append(rulings_item)


        def _parse_appeal(data: object) -> AppealOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                appeal_type_0 = AppealOut.from_dict(data)



                return appeal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AppealOut | None, data)

        appeal = _parse_appeal(d.pop("appeal"))


        dispute_out = cls(
            id=id,
            case_id=case_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            status=status,
            opened_by=opened_by,
            opened_at=opened_at,
            assigned_agent=assigned_agent,
            evidence_deadline=evidence_deadline,
            appeal_deadline=appeal_deadline,
            amount_fen=amount_fen,
            burden_of_proof=burden_of_proof,
            guidance=guidance,
            liable_party=liable_party,
            evidence=evidence,
            rulings=rulings,
            appeal=appeal,
        )


        dispute_out.additional_properties = d
        return dispute_out

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
