from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.abuse_mark_out_scope import AbuseMarkOutScope
from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="AbuseMarkOut")



@_attrs_define
class AbuseMarkOut:
    """ 
        Attributes:
            id (int):
            buyer_id (str):
            shop_id (None | str): When set, the mark covers this shop's claims only.
            scope (AbuseMarkOutScope):
            since (Instant | None):
            case_ids (list[int]):
            reason (str):
            marked_by (str):
            marked_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            cases_marked (int): Claims this mark has made abusive (at marking and since).
            standing (bool):
            lifted_at (Instant | None):
            lifted_by (None | str):
            lift_reason (None | str):
            cases_unmarked (int | None):
     """

    id: int
    buyer_id: str
    shop_id: None | str
    scope: AbuseMarkOutScope
    since: Instant | None
    case_ids: list[int]
    reason: str
    marked_by: str
    marked_at: Instant
    cases_marked: int
    standing: bool
    lifted_at: Instant | None
    lifted_by: None | str
    lift_reason: None | str
    cases_unmarked: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        buyer_id = self.buyer_id

        shop_id: None | str
        shop_id = self.shop_id

        scope = self.scope.value

        since: dict[str, Any] | None
        if isinstance(self.since, Instant):
            since = self.since.to_dict()
        else:
            since = self.since

        case_ids = self.case_ids



        reason = self.reason

        marked_by = self.marked_by

        marked_at = self.marked_at.to_dict()

        cases_marked = self.cases_marked

        standing = self.standing

        lifted_at: dict[str, Any] | None
        if isinstance(self.lifted_at, Instant):
            lifted_at = self.lifted_at.to_dict()
        else:
            lifted_at = self.lifted_at

        lifted_by: None | str
        lifted_by = self.lifted_by

        lift_reason: None | str
        lift_reason = self.lift_reason

        cases_unmarked: int | None
        cases_unmarked = self.cases_unmarked


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "buyer_id": buyer_id,
            "shop_id": shop_id,
            "scope": scope,
            "since": since,
            "case_ids": case_ids,
            "reason": reason,
            "marked_by": marked_by,
            "marked_at": marked_at,
            "cases_marked": cases_marked,
            "standing": standing,
            "lifted_at": lifted_at,
            "lifted_by": lifted_by,
            "lift_reason": lift_reason,
            "cases_unmarked": cases_unmarked,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        buyer_id = d.pop("buyer_id")

        def _parse_shop_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shop_id = _parse_shop_id(d.pop("shop_id"))


        scope = AbuseMarkOutScope(d.pop("scope"))




        def _parse_since(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                since_type_0 = Instant.from_dict(data)



                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        since = _parse_since(d.pop("since"))


        case_ids = cast(list[int], d.pop("case_ids"))


        reason = d.pop("reason")

        marked_by = d.pop("marked_by")

        marked_at = Instant.from_dict(d.pop("marked_at"))




        cases_marked = d.pop("cases_marked")

        standing = d.pop("standing")

        def _parse_lifted_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lifted_at_type_0 = Instant.from_dict(data)



                return lifted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        lifted_at = _parse_lifted_at(d.pop("lifted_at"))


        def _parse_lifted_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lifted_by = _parse_lifted_by(d.pop("lifted_by"))


        def _parse_lift_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lift_reason = _parse_lift_reason(d.pop("lift_reason"))


        def _parse_cases_unmarked(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cases_unmarked = _parse_cases_unmarked(d.pop("cases_unmarked"))


        abuse_mark_out = cls(
            id=id,
            buyer_id=buyer_id,
            shop_id=shop_id,
            scope=scope,
            since=since,
            case_ids=case_ids,
            reason=reason,
            marked_by=marked_by,
            marked_at=marked_at,
            cases_marked=cases_marked,
            standing=standing,
            lifted_at=lifted_at,
            lifted_by=lifted_by,
            lift_reason=lift_reason,
            cases_unmarked=cases_unmarked,
        )


        abuse_mark_out.additional_properties = d
        return abuse_mark_out

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
