from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="AttemptOut")



@_attrs_define
class AttemptOut:
    """ 
        Attributes:
            id (int):
            delivery_id (int):
            event_id (str):
            event_type (str):
            attempted_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            status_code (int | None):
            latency_ms (int):
            ok (bool):
            error (None | str):
     """

    id: int
    delivery_id: int
    event_id: str
    event_type: str
    attempted_at: Instant
    status_code: int | None
    latency_ms: int
    ok: bool
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        delivery_id = self.delivery_id

        event_id = self.event_id

        event_type = self.event_type

        attempted_at = self.attempted_at.to_dict()

        status_code: int | None
        status_code = self.status_code

        latency_ms = self.latency_ms

        ok = self.ok

        error: None | str
        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "delivery_id": delivery_id,
            "event_id": event_id,
            "event_type": event_type,
            "attempted_at": attempted_at,
            "status_code": status_code,
            "latency_ms": latency_ms,
            "ok": ok,
            "error": error,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        delivery_id = d.pop("delivery_id")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        attempted_at = Instant.from_dict(d.pop("attempted_at"))




        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))


        latency_ms = d.pop("latency_ms")

        ok = d.pop("ok")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        attempt_out = cls(
            id=id,
            delivery_id=delivery_id,
            event_id=event_id,
            event_type=event_type,
            attempted_at=attempted_at,
            status_code=status_code,
            latency_ms=latency_ms,
            ok=ok,
            error=error,
        )


        attempt_out.additional_properties = d
        return attempt_out

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
