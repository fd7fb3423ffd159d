from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.rule_check_out import RuleCheckOut





T = TypeVar("T", bound="ExplainOut")



@_attrs_define
class ExplainOut:
    """ 
        Attributes:
            case_id (int):
            case_type (str):
            reason (str):
            amount_fen (int):
            order_stage (str):
            first_match (int | None): The rule that would answer the request as it stands now.
            checks (list[RuleCheckOut]): Every rule of the shop, in the order they are tried.
     """

    case_id: int
    case_type: str
    reason: str
    amount_fen: int
    order_stage: str
    first_match: int | None
    checks: list[RuleCheckOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.rule_check_out import RuleCheckOut # noqa: PLC0415
        case_id = self.case_id

        case_type = self.case_type

        reason = self.reason

        amount_fen = self.amount_fen

        order_stage = self.order_stage

        first_match: int | None
        first_match = self.first_match

        checks = []
        for checks_item_data in self.checks:
            checks_item = checks_item_data.to_dict()
            checks.append(checks_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "case_id": case_id,
            "case_type": case_type,
            "reason": reason,
            "amount_fen": amount_fen,
            "order_stage": order_stage,
            "first_match": first_match,
            "checks": checks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_check_out import RuleCheckOut # noqa: PLC0415
        d = dict(src_dict)
        case_id = d.pop("case_id")

        case_type = d.pop("case_type")

        reason = d.pop("reason")

        amount_fen = d.pop("amount_fen")

        order_stage = d.pop("order_stage")

        def _parse_first_match(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_match = _parse_first_match(d.pop("first_match"))


        checks = []
        _checks = d.pop("checks")
        for checks_item_data in (_checks):
            checks_item = RuleCheckOut.from_dict(checks_item_data)



            checks.append(checks_item)


        explain_out = cls(
            case_id=case_id,
            case_type=case_type,
            reason=reason,
            amount_fen=amount_fen,
            order_stage=order_stage,
            first_match=first_match,
            checks=checks,
        )


        explain_out.additional_properties = d
        return explain_out

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
