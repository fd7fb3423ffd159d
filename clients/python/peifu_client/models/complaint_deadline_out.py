from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="ComplaintDeadlineOut")



@_attrs_define
class ComplaintDeadlineOut:
    """ 
        Attributes:
            kind (str): svc_platform_answer, svc_forward, svc_shop_contact, svc_shop_remedy, …
            due (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            working_days_left (int): Whole China working days (调休 counted) between now and the due day
     """

    kind: str
    due: Instant
    working_days_left: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        kind = self.kind

        due = self.due.to_dict()

        working_days_left = self.working_days_left


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "due": due,
            "working_days_left": working_days_left,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        kind = d.pop("kind")

        due = Instant.from_dict(d.pop("due"))




        working_days_left = d.pop("working_days_left")

        complaint_deadline_out = cls(
            kind=kind,
            due=due,
            working_days_left=working_days_left,
        )


        complaint_deadline_out.additional_properties = d
        return complaint_deadline_out

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
