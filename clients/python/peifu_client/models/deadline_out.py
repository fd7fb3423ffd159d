from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="DeadlineOut")



@_attrs_define
class DeadlineOut:
    """ 
        Attributes:
            kind (str):
            due_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            status (str):
            action_when_due (None | str):
     """

    kind: str
    due_at: Instant
    status: str
    action_when_due: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        kind = self.kind

        due_at = self.due_at.to_dict()

        status = self.status

        action_when_due: None | str
        action_when_due = self.action_when_due


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "due_at": due_at,
            "status": status,
            "action_when_due": action_when_due,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        kind = d.pop("kind")

        due_at = Instant.from_dict(d.pop("due_at"))




        status = d.pop("status")

        def _parse_action_when_due(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_when_due = _parse_action_when_due(d.pop("action_when_due"))


        deadline_out = cls(
            kind=kind,
            due_at=due_at,
            status=status,
            action_when_due=action_when_due,
        )


        deadline_out.additional_properties = d
        return deadline_out

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
