from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="ServiceSanctionOut")



@_attrs_define
class ServiceSanctionOut:
    """ 
        Attributes:
            sanction (str):
            misses_threshold (int):
            misses_at_trigger (int):
            complaint_ids (list[int]):
            triggered_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
     """

    sanction: str
    misses_threshold: int
    misses_at_trigger: int
    complaint_ids: list[int]
    triggered_at: Instant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        sanction = self.sanction

        misses_threshold = self.misses_threshold

        misses_at_trigger = self.misses_at_trigger

        complaint_ids = self.complaint_ids



        triggered_at = self.triggered_at.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "sanction": sanction,
            "misses_threshold": misses_threshold,
            "misses_at_trigger": misses_at_trigger,
            "complaint_ids": complaint_ids,
            "triggered_at": triggered_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        sanction = d.pop("sanction")

        misses_threshold = d.pop("misses_threshold")

        misses_at_trigger = d.pop("misses_at_trigger")

        complaint_ids = cast(list[int], d.pop("complaint_ids"))


        triggered_at = Instant.from_dict(d.pop("triggered_at"))




        service_sanction_out = cls(
            sanction=sanction,
            misses_threshold=misses_threshold,
            misses_at_trigger=misses_at_trigger,
            complaint_ids=complaint_ids,
            triggered_at=triggered_at,
        )


        service_sanction_out.additional_properties = d
        return service_sanction_out

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
