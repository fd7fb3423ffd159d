from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PayoutSnapshot")



@_attrs_define
class PayoutSnapshot:
    """ 
        Attributes:
            id (int):
            case_id (int | None):
            buyer_id (str):
            amount_fen (int):
            method (str):
            status (str): pending | sent
            attempts (int):
            idempotency_key (str):
            gateway_ref (None | str):
            next_attempt_at (None | str):
            error (None | str):
     """

    id: int
    case_id: int | None
    buyer_id: str
    amount_fen: int
    method: str
    status: str
    attempts: int
    idempotency_key: str
    gateway_ref: None | str
    next_attempt_at: None | str
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        case_id: int | None
        case_id = self.case_id

        buyer_id = self.buyer_id

        amount_fen = self.amount_fen

        method = self.method

        status = self.status

        attempts = self.attempts

        idempotency_key = self.idempotency_key

        gateway_ref: None | str
        gateway_ref = self.gateway_ref

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        error: None | str
        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "case_id": case_id,
            "buyer_id": buyer_id,
            "amount_fen": amount_fen,
            "method": method,
            "status": status,
            "attempts": attempts,
            "idempotency_key": idempotency_key,
            "gateway_ref": gateway_ref,
            "next_attempt_at": next_attempt_at,
            "error": error,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_case_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        case_id = _parse_case_id(d.pop("case_id"))


        buyer_id = d.pop("buyer_id")

        amount_fen = d.pop("amount_fen")

        method = d.pop("method")

        status = d.pop("status")

        attempts = d.pop("attempts")

        idempotency_key = d.pop("idempotency_key")

        def _parse_gateway_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gateway_ref = _parse_gateway_ref(d.pop("gateway_ref"))


        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        payout_snapshot = cls(
            id=id,
            case_id=case_id,
            buyer_id=buyer_id,
            amount_fen=amount_fen,
            method=method,
            status=status,
            attempts=attempts,
            idempotency_key=idempotency_key,
            gateway_ref=gateway_ref,
            next_attempt_at=next_attempt_at,
            error=error,
        )


        payout_snapshot.additional_properties = d
        return payout_snapshot

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
