from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.appeal import Appeal
  from ..models.dispute_snapshot import DisputeSnapshot
  from ..models.evidence_ref import EvidenceRef
  from ..models.ruling import Ruling





T = TypeVar("T", bound="DisputeData")



@_attrs_define
class DisputeData:
    """ 
        Attributes:
            dispute (DisputeSnapshot):
            ruling (None | Ruling | Unset): dispute.ruled only
            appeal (Appeal | None | Unset): dispute.appealed and appeal.decided only
            evidence (EvidenceRef | None | Unset): dispute.evidence_submitted only (never the content)
     """

    dispute: DisputeSnapshot
    ruling: None | Ruling | Unset = UNSET
    appeal: Appeal | None | Unset = UNSET
    evidence: EvidenceRef | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.appeal import Appeal # noqa: PLC0415
        from ..models.dispute_snapshot import DisputeSnapshot # noqa: PLC0415
        from ..models.evidence_ref import EvidenceRef # noqa: PLC0415
        from ..models.ruling import Ruling # noqa: PLC0415
        dispute = self.dispute.to_dict()

        ruling: dict[str, Any] | None | Unset
        if isinstance(self.ruling, Unset):
            ruling = UNSET
        elif isinstance(self.ruling, Ruling):
            ruling = self.ruling.to_dict()
        else:
            ruling = self.ruling

        appeal: dict[str, Any] | None | Unset
        if isinstance(self.appeal, Unset):
            appeal = UNSET
        elif isinstance(self.appeal, Appeal):
            appeal = self.appeal.to_dict()
        else:
            appeal = self.appeal

        evidence: dict[str, Any] | None | Unset
        if isinstance(self.evidence, Unset):
            evidence = UNSET
        elif isinstance(self.evidence, EvidenceRef):
            evidence = self.evidence.to_dict()
        else:
            evidence = self.evidence


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "dispute": dispute,
        })
        if ruling is not UNSET:
            field_dict["ruling"] = ruling
        if appeal is not UNSET:
            field_dict["appeal"] = appeal
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.appeal import Appeal # noqa: PLC0415
        from ..models.dispute_snapshot import DisputeSnapshot # noqa: PLC0415
        from ..models.evidence_ref import EvidenceRef # noqa: PLC0415
        from ..models.ruling import Ruling # noqa: PLC0415
        d = dict(src_dict)
        dispute = DisputeSnapshot.from_dict(d.pop("dispute"))




        def _parse_ruling(data: object) -> None | Ruling | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ruling_type_0 = Ruling.from_dict(data)



                return ruling_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Ruling | Unset, data)

        ruling = _parse_ruling(d.pop("ruling", UNSET))


        def _parse_appeal(data: object) -> Appeal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                appeal_type_0 = Appeal.from_dict(data)



                return appeal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Appeal | None | Unset, data)

        appeal = _parse_appeal(d.pop("appeal", UNSET))


        def _parse_evidence(data: object) -> EvidenceRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                evidence_type_0 = EvidenceRef.from_dict(data)



                return evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EvidenceRef | None | Unset, data)

        evidence = _parse_evidence(d.pop("evidence", UNSET))


        dispute_data = cls(
            dispute=dispute,
            ruling=ruling,
            appeal=appeal,
            evidence=evidence,
        )


        dispute_data.additional_properties = d
        return dispute_data

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
