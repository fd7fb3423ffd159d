from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.auto_rule_patch_in_action_type_0 import AutoRulePatchInActionType0
from ..models.auto_rule_patch_in_order_stages_type_0_item import AutoRulePatchInOrderStagesType0Item
from ..models.case_type import CaseType
from ..models.reason import Reason
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AutoRulePatchIn")



@_attrs_define
class AutoRulePatchIn:
    """ 
        Attributes:
            name (None | str | Unset):
            priority (int | None | Unset):
            enabled (bool | None | Unset):
            case_types (list[CaseType] | None | Unset):
            reasons (list[Reason] | None | Unset):
            order_stages (list[AutoRulePatchInOrderStagesType0Item] | None | Unset):
            max_amount_fen (int | None | Unset): null removes the limit.
            action (AutoRulePatchInActionType0 | None | Unset):
            suggested_reason (None | Reason | Unset):
            message (None | str | Unset):
     """

    name: None | str | Unset = UNSET
    priority: int | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    case_types: list[CaseType] | None | Unset = UNSET
    reasons: list[Reason] | None | Unset = UNSET
    order_stages: list[AutoRulePatchInOrderStagesType0Item] | None | Unset = UNSET
    max_amount_fen: int | None | Unset = UNSET
    action: AutoRulePatchInActionType0 | None | Unset = UNSET
    suggested_reason: None | Reason | Unset = UNSET
    message: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        priority: int | None | Unset
        if isinstance(self.priority, Unset):
            priority = UNSET
        else:
            priority = self.priority

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        case_types: list[str] | None | Unset
        if isinstance(self.case_types, Unset):
            case_types = UNSET
        elif isinstance(self.case_types, list):
            case_types = []
            for case_types_type_0_item_data in self.case_types:
                case_types_type_0_item = case_types_type_0_item_data.value
                case_types.append(case_types_type_0_item)


        else:
            case_types = self.case_types

        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = []
            for reasons_type_0_item_data in self.reasons:
                reasons_type_0_item = reasons_type_0_item_data.value
                reasons.append(reasons_type_0_item)


        else:
            reasons = self.reasons

        order_stages: list[str] | None | Unset
        if isinstance(self.order_stages, Unset):
            order_stages = UNSET
        elif isinstance(self.order_stages, list):
            order_stages = []
            for order_stages_type_0_item_data in self.order_stages:
                order_stages_type_0_item = order_stages_type_0_item_data.value
                order_stages.append(order_stages_type_0_item)


        else:
            order_stages = self.order_stages

        max_amount_fen: int | None | Unset
        if isinstance(self.max_amount_fen, Unset):
            max_amount_fen = UNSET
        else:
            max_amount_fen = self.max_amount_fen

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        elif isinstance(self.action, AutoRulePatchInActionType0):
            action = self.action.value
        else:
            action = self.action

        suggested_reason: None | str | Unset
        if isinstance(self.suggested_reason, Unset):
            suggested_reason = UNSET
        elif isinstance(self.suggested_reason, Reason):
            suggested_reason = self.suggested_reason.value
        else:
            suggested_reason = self.suggested_reason

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if priority is not UNSET:
            field_dict["priority"] = priority
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if case_types is not UNSET:
            field_dict["case_types"] = case_types
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if order_stages is not UNSET:
            field_dict["order_stages"] = order_stages
        if max_amount_fen is not UNSET:
            field_dict["max_amount_fen"] = max_amount_fen
        if action is not UNSET:
            field_dict["action"] = action
        if suggested_reason is not UNSET:
            field_dict["suggested_reason"] = suggested_reason
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_priority(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        priority = _parse_priority(d.pop("priority", UNSET))


        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        def _parse_case_types(data: object) -> list[CaseType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                case_types_type_0 = []
                _case_types_type_0 = data
                for case_types_type_0_item_data in (_case_types_type_0):
                    case_types_type_0_item = CaseType(case_types_type_0_item_data)



                    case_types_type_0.append(case_types_type_0_item)

                return case_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CaseType] | None | Unset, data)

        case_types = _parse_case_types(d.pop("case_types", UNSET))


        def _parse_reasons(data: object) -> list[Reason] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reasons_type_0 = []
                _reasons_type_0 = data
                for reasons_type_0_item_data in (_reasons_type_0):
                    reasons_type_0_item = Reason(reasons_type_0_item_data)



                    reasons_type_0.append(reasons_type_0_item)

                return reasons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Reason] | None | Unset, data)

        reasons = _parse_reasons(d.pop("reasons", UNSET))


        def _parse_order_stages(data: object) -> list[AutoRulePatchInOrderStagesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                order_stages_type_0 = []
                _order_stages_type_0 = data
                for order_stages_type_0_item_data in (_order_stages_type_0):
                    order_stages_type_0_item = AutoRulePatchInOrderStagesType0Item(order_stages_type_0_item_data)



                    order_stages_type_0.append(order_stages_type_0_item)

                return order_stages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AutoRulePatchInOrderStagesType0Item] | None | Unset, data)

        order_stages = _parse_order_stages(d.pop("order_stages", UNSET))


        def _parse_max_amount_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_amount_fen = _parse_max_amount_fen(d.pop("max_amount_fen", UNSET))


        def _parse_action(data: object) -> AutoRulePatchInActionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                action_type_0 = AutoRulePatchInActionType0(data)



                return action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AutoRulePatchInActionType0 | None | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        def _parse_suggested_reason(data: object) -> None | Reason | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suggested_reason_type_0 = Reason(data)



                return suggested_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reason | Unset, data)

        suggested_reason = _parse_suggested_reason(d.pop("suggested_reason", UNSET))


        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))


        auto_rule_patch_in = cls(
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
        )

        return auto_rule_patch_in

