from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ClockAdvanceIn")



@_attrs_define
class ClockAdvanceIn:
    """ 
        Attributes:
            advance_seconds (int | None | Unset):
            set_to (datetime.datetime | None | Unset):
            fire_due (bool | Unset): Fire every deadline that is now due before answering. Default: True.
     """

    advance_seconds: int | None | Unset = UNSET
    set_to: datetime.datetime | None | Unset = UNSET
    fire_due: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        advance_seconds: int | None | Unset
        if isinstance(self.advance_seconds, Unset):
            advance_seconds = UNSET
        else:
            advance_seconds = self.advance_seconds

        set_to: None | str | Unset
        if isinstance(self.set_to, Unset):
            set_to = UNSET
        elif isinstance(self.set_to, datetime.datetime):
            set_to = self.set_to.isoformat()
        else:
            set_to = self.set_to

        fire_due = self.fire_due


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if advance_seconds is not UNSET:
            field_dict["advance_seconds"] = advance_seconds
        if set_to is not UNSET:
            field_dict["set_to"] = set_to
        if fire_due is not UNSET:
            field_dict["fire_due"] = fire_due

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_advance_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        advance_seconds = _parse_advance_seconds(d.pop("advance_seconds", UNSET))


        def _parse_set_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                set_to_type_0 = datetime.datetime.fromisoformat(data)



                return set_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        set_to = _parse_set_to(d.pop("set_to", UNSET))


        fire_due = d.pop("fire_due", UNSET)

        clock_advance_in = cls(
            advance_seconds=advance_seconds,
            set_to=set_to,
            fire_due=fire_due,
        )

        return clock_advance_in

