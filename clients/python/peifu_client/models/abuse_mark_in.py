from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.abuse_mark_in_scope import AbuseMarkInScope
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="AbuseMarkIn")



@_attrs_define
class AbuseMarkIn:
    """ 
        Attributes:
            reason (str): Why, for the record.
            scope (AbuseMarkInScope | Unset): Which existing claims are marked: all of them, those opened `since` a time,
                the listed `case_ids`, or none (future claims only). Claims opened while the mark stands are always marked.
                Default: AbuseMarkInScope.ALL.
            since (datetime.datetime | None | Unset): For scope `since`.
            case_ids (list[int] | Unset): For scope `cases`.
            shop_id (None | str | Unset): Only this shop's claims (optional).
     """

    reason: str
    scope: AbuseMarkInScope | Unset = AbuseMarkInScope.ALL
    since: datetime.datetime | None | Unset = UNSET
    case_ids: list[int] | Unset = UNSET
    shop_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        scope: str | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.value


        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        case_ids: list[int] | Unset = UNSET
        if not isinstance(self.case_ids, Unset):
            case_ids = self.case_ids



        shop_id: None | str | Unset
        if isinstance(self.shop_id, Unset):
            shop_id = UNSET
        else:
            shop_id = self.shop_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
        })
        if scope is not UNSET:
            field_dict["scope"] = scope
        if since is not UNSET:
            field_dict["since"] = since
        if case_ids is not UNSET:
            field_dict["case_ids"] = case_ids
        if shop_id is not UNSET:
            field_dict["shop_id"] = shop_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        _scope = d.pop("scope", UNSET)
        scope: AbuseMarkInScope | Unset
        if isinstance(_scope,  Unset):
            scope = UNSET
        else:
            scope = AbuseMarkInScope(_scope)




        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)



                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))


        case_ids = cast(list[int], d.pop("case_ids", UNSET))


        def _parse_shop_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shop_id = _parse_shop_id(d.pop("shop_id", UNSET))


        abuse_mark_in = cls(
            reason=reason,
            scope=scope,
            since=since,
            case_ids=case_ids,
            shop_id=shop_id,
        )

        return abuse_mark_in

