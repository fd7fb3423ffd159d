from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.signals_out_subject import SignalsOutSubject
from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant
  from ..models.signal_out import SignalOut





T = TypeVar("T", bound="SignalsOut")



@_attrs_define
class SignalsOut:
    """ 
        Attributes:
            subject (SignalsOutSubject):
            subject_id (str):
            as_of (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            signals (list[SignalOut]): Only the signals that fire; none is a clean record.
     """

    subject: SignalsOutSubject
    subject_id: str
    as_of: Instant
    signals: list[SignalOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.signal_out import SignalOut # noqa: PLC0415
        subject = self.subject.value

        subject_id = self.subject_id

        as_of = self.as_of.to_dict()

        signals = []
        for signals_item_data in self.signals:
            signals_item = signals_item_data.to_dict()
            signals.append(signals_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "subject": subject,
            "subject_id": subject_id,
            "as_of": as_of,
            "signals": signals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.signal_out import SignalOut # noqa: PLC0415
        d = dict(src_dict)
        subject = SignalsOutSubject(d.pop("subject"))




        subject_id = d.pop("subject_id")

        as_of = Instant.from_dict(d.pop("as_of"))




        signals = []
        _signals = d.pop("signals")
        for signals_item_data in (_signals):
            signals_item = SignalOut.from_dict(signals_item_data)



            signals.append(signals_item)


        signals_out = cls(
            subject=subject,
            subject_id=subject_id,
            as_of=as_of,
            signals=signals,
        )


        signals_out.additional_properties = d
        return signals_out

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
