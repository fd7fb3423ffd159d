from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="AutoRuleOut")



@_attrs_define
class AutoRuleOut:
    """ 
        Attributes:
            id (int):
            shop_id (str):
            name (str):
            priority (int): Lower runs first; ties go to the older rule.
            enabled (bool):
            case_types (list[str]): Empty: any.
            reasons (list[str]): Empty: any.
            order_stages (list[str]): not_shipped | in_transit | delivered | completed; empty: any.
            max_amount_fen (int | None):
            action (str): agree | agree_after_return_signed | ask_to_modify_reason
            suggested_reason (None | str):
            message (str):
            applied_count (int): Requests this rule has answered.
            last_applied_at (Instant | None):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            updated_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            updated_by (None | str):
     """

    id: int
    shop_id: str
    name: str
    priority: int
    enabled: bool
    case_types: list[str]
    reasons: list[str]
    order_stages: list[str]
    max_amount_fen: int | None
    action: str
    suggested_reason: None | str
    message: str
    applied_count: int
    last_applied_at: Instant | None
    created_at: Instant
    updated_at: Instant
    updated_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        shop_id = self.shop_id

        name = self.name

        priority = self.priority

        enabled = self.enabled

        case_types = self.case_types



        reasons = self.reasons



        order_stages = self.order_stages



        max_amount_fen: int | None
        max_amount_fen = self.max_amount_fen

        action = self.action

        suggested_reason: None | str
        suggested_reason = self.suggested_reason

        message = self.message

        applied_count = self.applied_count

        last_applied_at: dict[str, Any] | None
        if isinstance(self.last_applied_at, Instant):
            last_applied_at = self.last_applied_at.to_dict()
        else:
            last_applied_at = self.last_applied_at

        created_at = self.created_at.to_dict()

        updated_at = self.updated_at.to_dict()

        updated_by: None | str
        updated_by = self.updated_by


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "shop_id": shop_id,
            "name": name,
            "priority": priority,
            "enabled": enabled,
            "case_types": case_types,
            "reasons": reasons,
            "order_stages": order_stages,
            "max_amount_fen": max_amount_fen,
            "action": action,
            "suggested_reason": suggested_reason,
            "message": message,
            "applied_count": applied_count,
            "last_applied_at": last_applied_at,
            "created_at": created_at,
            "updated_at": updated_at,
            "updated_by": updated_by,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        shop_id = d.pop("shop_id")

        name = d.pop("name")

        priority = d.pop("priority")

        enabled = d.pop("enabled")

        case_types = cast(list[str], d.pop("case_types"))


        reasons = cast(list[str], d.pop("reasons"))


        order_stages = cast(list[str], d.pop("order_stages"))


        def _parse_max_amount_fen(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_amount_fen = _parse_max_amount_fen(d.pop("max_amount_fen"))


        action = d.pop("action")

        def _parse_suggested_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        suggested_reason = _parse_suggested_reason(d.pop("suggested_reason"))


        message = d.pop("message")

        applied_count = d.pop("applied_count")

        def _parse_last_applied_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_applied_at_type_0 = Instant.from_dict(data)



                return last_applied_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        last_applied_at = _parse_last_applied_at(d.pop("last_applied_at"))


        created_at = Instant.from_dict(d.pop("created_at"))




        updated_at = Instant.from_dict(d.pop("updated_at"))




        def _parse_updated_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        updated_by = _parse_updated_by(d.pop("updated_by"))


        auto_rule_out = cls(
            id=id,
            shop_id=shop_id,
            name=name,
            priority=priority,
            enabled=enabled,
            case_types=case_types,
            reasons=reasons,
            order_stages=order_stages,
            max_amount_fen=max_amount_fen,
            action=action,
            suggested_reason=suggested_reason,
            message=message,
            applied_count=applied_count,
            last_applied_at=last_applied_at,
            created_at=created_at,
            updated_at=updated_at,
            updated_by=updated_by,
        )


        auto_rule_out.additional_properties = d
        return auto_rule_out

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
