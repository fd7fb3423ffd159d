from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.actor import Actor
  from ..models.move_data import MoveData





T = TypeVar("T", bound="Move")



@_attrs_define
class Move:
    """ 
        Attributes:
            name (str): The state machine's action: open, agree, refuse, escalate, execute_refund, …
            actor (Actor):
            from_state (None | str):
            to_state (str):
            seq (int): The move's number in the case's timeline.
            data (MoveData): What the move carried (amounts, courier, note, ledger transaction…).
     """

    name: str
    actor: Actor
    from_state: None | str
    to_state: str
    seq: int
    data: MoveData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.move_data import MoveData # noqa: PLC0415
        name = self.name

        actor = self.actor.to_dict()

        from_state: None | str
        from_state = self.from_state

        to_state = self.to_state

        seq = self.seq

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "actor": actor,
            "from_state": from_state,
            "to_state": to_state,
            "seq": seq,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor # noqa: PLC0415
        from ..models.move_data import MoveData # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        actor = Actor.from_dict(d.pop("actor"))




        def _parse_from_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_state = _parse_from_state(d.pop("from_state"))


        to_state = d.pop("to_state")

        seq = d.pop("seq")

        data = MoveData.from_dict(d.pop("data"))




        move = cls(
            name=name,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            seq=seq,
            data=data,
        )


        move.additional_properties = d
        return move

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
