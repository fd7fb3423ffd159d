from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="DeliveryOut")



@_attrs_define
class DeliveryOut:
    """ 
        Attributes:
            id (int):
            event_id (str):
            event_type (str):
            status (str): pending | delivered
            replay (bool):
            attempts (int):
            next_attempt_at (Instant | None):
            last_status_code (int | None):
            last_error (None | str):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            delivered_at (Instant | None):
     """

    id: int
    event_id: str
    event_type: str
    status: str
    replay: bool
    attempts: int
    next_attempt_at: Instant | None
    last_status_code: int | None
    last_error: None | str
    created_at: Instant
    delivered_at: Instant | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        event_id = self.event_id

        event_type = self.event_type

        status = self.status

        replay = self.replay

        attempts = self.attempts

        next_attempt_at: dict[str, Any] | None
        if isinstance(self.next_attempt_at, Instant):
            next_attempt_at = self.next_attempt_at.to_dict()
        else:
            next_attempt_at = self.next_attempt_at

        last_status_code: int | None
        last_status_code = self.last_status_code

        last_error: None | str
        last_error = self.last_error

        created_at = self.created_at.to_dict()

        delivered_at: dict[str, Any] | None
        if isinstance(self.delivered_at, Instant):
            delivered_at = self.delivered_at.to_dict()
        else:
            delivered_at = self.delivered_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "event_id": event_id,
            "event_type": event_type,
            "status": status,
            "replay": replay,
            "attempts": attempts,
            "next_attempt_at": next_attempt_at,
            "last_status_code": last_status_code,
            "last_error": last_error,
            "created_at": created_at,
            "delivered_at": delivered_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        status = d.pop("status")

        replay = d.pop("replay")

        attempts = d.pop("attempts")

        def _parse_next_attempt_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_attempt_at_type_0 = Instant.from_dict(data)



                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        def _parse_last_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status_code = _parse_last_status_code(d.pop("last_status_code"))


        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))


        created_at = Instant.from_dict(d.pop("created_at"))




        def _parse_delivered_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                delivered_at_type_0 = Instant.from_dict(data)



                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))


        delivery_out = cls(
            id=id,
            event_id=event_id,
            event_type=event_type,
            status=status,
            replay=replay,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_status_code=last_status_code,
            last_error=last_error,
            created_at=created_at,
            delivered_at=delivered_at,
        )


        delivery_out.additional_properties = d
        return delivery_out

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
