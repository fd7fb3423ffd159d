from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="PayoutOut")



@_attrs_define
class PayoutOut:
    """ 
        Attributes:
            amount_fen (int):
            method (str):
            status (str): pending until the payment gateway confirms, then sent
            attempts (int):
            gateway_ref (None | str):
            sent_at (Instant | None):
     """

    amount_fen: int
    method: str
    status: str
    attempts: int
    gateway_ref: None | str
    sent_at: Instant | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        amount_fen = self.amount_fen

        method = self.method

        status = self.status

        attempts = self.attempts

        gateway_ref: None | str
        gateway_ref = self.gateway_ref

        sent_at: dict[str, Any] | None
        if isinstance(self.sent_at, Instant):
            sent_at = self.sent_at.to_dict()
        else:
            sent_at = self.sent_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount_fen": amount_fen,
            "method": method,
            "status": status,
            "attempts": attempts,
            "gateway_ref": gateway_ref,
            "sent_at": sent_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        amount_fen = d.pop("amount_fen")

        method = d.pop("method")

        status = d.pop("status")

        attempts = d.pop("attempts")

        def _parse_gateway_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gateway_ref = _parse_gateway_ref(d.pop("gateway_ref"))


        def _parse_sent_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sent_at_type_0 = Instant.from_dict(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))


        payout_out = cls(
            amount_fen=amount_fen,
            method=method,
            status=status,
            attempts=attempts,
            gateway_ref=gateway_ref,
            sent_at=sent_at,
        )


        payout_out.additional_properties = d
        return payout_out

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
