from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.dispute_signals_out_subject import DisputeSignalsOutSubject
from typing import cast

if TYPE_CHECKING:
  from ..models.abuse_mark_out import AbuseMarkOut
  from ..models.instant import Instant
  from ..models.signal_out import SignalOut





T = TypeVar("T", bound="DisputeSignalsOut")



@_attrs_define
class DisputeSignalsOut:
    """ 
        Attributes:
            subject (DisputeSignalsOutSubject):
            subject_id (str):
            as_of (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            signals (list[SignalOut]): Only the signals that fire; none is a clean record.
            dispute_id (int):
            case_id (int):
            buyer_id (str):
            shop_id (str):
            buyer_abuse_mark (AbuseMarkOut | None): The platform's standing mark on the buyer (云标签), if any.
     """

    subject: DisputeSignalsOutSubject
    subject_id: str
    as_of: Instant
    signals: list[SignalOut]
    dispute_id: int
    case_id: int
    buyer_id: str
    shop_id: str
    buyer_abuse_mark: AbuseMarkOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.abuse_mark_out import AbuseMarkOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.signal_out import SignalOut # noqa: PLC0415
        subject = self.subject.value

        subject_id = self.subject_id

        as_of = self.as_of.to_dict()

        signals = []
        for signals_item_data in self.signals:
            signals_item = signals_item_data.to_dict()
            signals.append(signals_item)



        dispute_id = self.dispute_id

        case_id = self.case_id

        buyer_id = self.buyer_id

        shop_id = self.shop_id

        buyer_abuse_mark: dict[str, Any] | None
        if isinstance(self.buyer_abuse_mark, AbuseMarkOut):
            buyer_abuse_mark = self.buyer_abuse_mark.to_dict()
        else:
            buyer_abuse_mark = self.buyer_abuse_mark


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "subject": subject,
            "subject_id": subject_id,
            "as_of": as_of,
            "signals": signals,
            "dispute_id": dispute_id,
            "case_id": case_id,
            "buyer_id": buyer_id,
            "shop_id": shop_id,
            "buyer_abuse_mark": buyer_abuse_mark,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.abuse_mark_out import AbuseMarkOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.signal_out import SignalOut # noqa: PLC0415
        d = dict(src_dict)
        subject = DisputeSignalsOutSubject(d.pop("subject"))




        subject_id = d.pop("subject_id")

        as_of = Instant.from_dict(d.pop("as_of"))




        signals = []
        _signals = d.pop("signals")
        for signals_item_data in (_signals):
            signals_item = SignalOut.from_dict(signals_item_data)



            signals.append(signals_item)


        dispute_id = d.pop("dispute_id")

        case_id = d.pop("case_id")

        buyer_id = d.pop("buyer_id")

        shop_id = d.pop("shop_id")

        def _parse_buyer_abuse_mark(data: object) -> AbuseMarkOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_abuse_mark_type_0 = AbuseMarkOut.from_dict(data)



                return buyer_abuse_mark_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AbuseMarkOut | None, data)

        buyer_abuse_mark = _parse_buyer_abuse_mark(d.pop("buyer_abuse_mark"))


        dispute_signals_out = cls(
            subject=subject,
            subject_id=subject_id,
            as_of=as_of,
            signals=signals,
            dispute_id=dispute_id,
            case_id=case_id,
            buyer_id=buyer_id,
            shop_id=shop_id,
            buyer_abuse_mark=buyer_abuse_mark,
        )


        dispute_signals_out.additional_properties = d
        return dispute_signals_out

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
