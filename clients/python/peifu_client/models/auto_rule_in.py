from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.auto_rule_in_action import AutoRuleInAction
from ..models.auto_rule_in_order_stages_item import AutoRuleInOrderStagesItem
from ..models.case_type import CaseType
from ..models.reason import Reason
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AutoRuleIn")



@_attrs_define
class AutoRuleIn:
    """ 
        Attributes:
            name (str):
            action (AutoRuleInAction):
            priority (int | Unset): Lower runs first; ties go to the older rule. Default: 100.
            enabled (bool | Unset):  Default: True.
            case_types (list[CaseType] | Unset): Empty: any case type.
            reasons (list[Reason] | Unset): Empty: any reason.
            order_stages (list[AutoRuleInOrderStagesItem] | Unset): Empty: any stage. not_shipped = before shipping.
            max_amount_fen (int | None | Unset): Only requests asking at most this much; omit for no limit.
            suggested_reason (None | Reason | Unset): ask_to_modify_reason: the reason the buyer is asked to choose.
            message (str | Unset): Shown to the buyer with the answer. Default: ''.
     """

    name: str
    action: AutoRuleInAction
    priority: int | Unset = 100
    enabled: bool | Unset = True
    case_types: list[CaseType] | Unset = UNSET
    reasons: list[Reason] | Unset = UNSET
    order_stages: list[AutoRuleInOrderStagesItem] | Unset = UNSET
    max_amount_fen: int | None | Unset = UNSET
    suggested_reason: None | Reason | Unset = UNSET
    message: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        action = self.action.value

        priority = self.priority

        enabled = self.enabled

        case_types: list[str] | Unset = UNSET
        if not isinstance(self.case_types, Unset):
            case_types = []
            for case_types_item_data in self.case_types:
                case_types_item = case_types_item_data.value
                case_types.append(case_types_item)



        reasons: list[str] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = []
            for reasons_item_data in self.reasons:
                reasons_item = reasons_item_data.value
                reasons.append(reasons_item)



        order_stages: list[str] | Unset = UNSET
        if not isinstance(self.order_stages, Unset):
            order_stages = []
            for order_stages_item_data in self.order_stages:
                order_stages_item = order_stages_item_data.value
                order_stages.append(order_stages_item)



        max_amount_fen: int | None | Unset
        if isinstance(self.max_amount_fen, Unset):
            max_amount_fen = UNSET
        else:
            max_amount_fen = self.max_amount_fen

        suggested_reason: None | str | Unset
        if isinstance(self.suggested_reason, Unset):
            suggested_reason = UNSET
        elif isinstance(self.suggested_reason, Reason):
            suggested_reason = self.suggested_reason.value
        else:
            suggested_reason = self.suggested_reason

        message = self.message


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "action": action,
        })
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
        if suggested_reason is not UNSET:
            field_dict["suggested_reason"] = suggested_reason
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        action = AutoRuleInAction(d.pop("action"))




        priority = d.pop("priority", UNSET)

        enabled = d.pop("enabled", UNSET)

        _case_types = d.pop("case_types", UNSET)
        case_types: list[CaseType] | Unset = UNSET
        if _case_types is not UNSET:
            case_types = []
            for case_types_item_data in _case_types:
                case_types_item = CaseType(case_types_item_data)



                case_types.append(case_types_item)


        _reasons = d.pop("reasons", UNSET)
        reasons: list[Reason] | Unset = UNSET
        if _reasons is not UNSET:
            reasons = []
            for reasons_item_data in _reasons:
                reasons_item = Reason(reasons_item_data)



                reasons.append(reasons_item)


        _order_stages = d.pop("order_stages", UNSET)
        order_stages: list[AutoRuleInOrderStagesItem] | Unset = UNSET
        if _order_stages is not UNSET:
            order_stages = []
            for order_stages_item_data in _order_stages:
                order_stages_item = AutoRuleInOrderStagesItem(order_stages_item_data)



                order_stages.append(order_stages_item)


        def _parse_max_amount_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_amount_fen = _parse_max_amount_fen(d.pop("max_amount_fen", UNSET))


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


        message = d.pop("message", UNSET)

        auto_rule_in = cls(
            name=name,
            action=action,
            priority=priority,
            enabled=enabled,
            case_types=case_types,
            reasons=reasons,
            order_stages=order_stages,
            max_amount_fen=max_amount_fen,
            suggested_reason=suggested_reason,
            message=message,
        )

        return auto_rule_in

