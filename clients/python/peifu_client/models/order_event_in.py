from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_event_kind import OrderEventKind
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="OrderEventIn")



@_attrs_define
class OrderEventIn:
    """ 
        Attributes:
            kind (OrderEventKind):
            at (datetime.datetime | None | Unset): When it happened; defaults to now; never in the future.
            courier (None | str | Unset):
            tracking_no (None | str | Unset):
            reason (None | str | Unset):
     """

    kind: OrderEventKind
    at: datetime.datetime | None | Unset = UNSET
    courier: None | str | Unset = UNSET
    tracking_no: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        elif isinstance(self.at, datetime.datetime):
            at = self.at.isoformat()
        else:
            at = self.at

        courier: None | str | Unset
        if isinstance(self.courier, Unset):
            courier = UNSET
        else:
            courier = self.courier

        tracking_no: None | str | Unset
        if isinstance(self.tracking_no, Unset):
            tracking_no = UNSET
        else:
            tracking_no = self.tracking_no

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
        })
        if at is not UNSET:
            field_dict["at"] = at
        if courier is not UNSET:
            field_dict["courier"] = courier
        if tracking_no is not UNSET:
            field_dict["tracking_no"] = tracking_no
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = OrderEventKind(d.pop("kind"))




        def _parse_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_type_0 = datetime.datetime.fromisoformat(data)



                return at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        at = _parse_at(d.pop("at", UNSET))


        def _parse_courier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        courier = _parse_courier(d.pop("courier", UNSET))


        def _parse_tracking_no(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracking_no = _parse_tracking_no(d.pop("tracking_no", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        order_event_in = cls(
            kind=kind,
            at=at,
            courier=courier,
            tracking_no=tracking_no,
            reason=reason,
        )

        return order_event_in

