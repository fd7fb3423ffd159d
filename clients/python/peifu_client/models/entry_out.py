from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.entry_out_data import EntryOutData
  from ..models.instant import Instant





T = TypeVar("T", bound="EntryOut")



@_attrs_define
class EntryOut:
    """ 
        Attributes:
            seq (int):
            at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            actor_role (str):
            actor_id (None | str):
            action (str):
            from_state (None | str):
            to_state (str):
            data (EntryOutData):
     """

    seq: int
    at: Instant
    actor_role: str
    actor_id: None | str
    action: str
    from_state: None | str
    to_state: str
    data: EntryOutData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entry_out_data import EntryOutData # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        seq = self.seq

        at = self.at.to_dict()

        actor_role = self.actor_role

        actor_id: None | str
        actor_id = self.actor_id

        action = self.action

        from_state: None | str
        from_state = self.from_state

        to_state = self.to_state

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "seq": seq,
            "at": at,
            "actor_role": actor_role,
            "actor_id": actor_id,
            "action": action,
            "from_state": from_state,
            "to_state": to_state,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entry_out_data import EntryOutData # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        seq = d.pop("seq")

        at = Instant.from_dict(d.pop("at"))




        actor_role = d.pop("actor_role")

        def _parse_actor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))


        action = d.pop("action")

        def _parse_from_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_state = _parse_from_state(d.pop("from_state"))


        to_state = d.pop("to_state")

        data = EntryOutData.from_dict(d.pop("data"))




        entry_out = cls(
            seq=seq,
            at=at,
            actor_role=actor_role,
            actor_id=actor_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            data=data,
        )


        entry_out.additional_properties = d
        return entry_out

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
