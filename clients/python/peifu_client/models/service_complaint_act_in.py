from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.service_complaint_act_in_action import ServiceComplaintActInAction
from ..models.service_complaint_act_in_category_type_0 import ServiceComplaintActInCategoryType0
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ServiceComplaintActIn")



@_attrs_define
class ServiceComplaintActIn:
    """ One move of a service complaint (domain.service_complaints.TABLE); what each needs:
    register → category; propose_remedy → remedy and promised_by; report_done → result;
    resolve → note; rate → rating (1–5) and an optional comment.

        Attributes:
            action (ServiceComplaintActInAction):
            category (None | ServiceComplaintActInCategoryType0 | Unset):
            note (None | str | Unset):
            remedy (None | str | Unset):
            promised_by (datetime.datetime | None | Unset):
            result (None | str | Unset):
            rating (int | None | Unset):
            comment (None | str | Unset):
     """

    action: ServiceComplaintActInAction
    category: None | ServiceComplaintActInCategoryType0 | Unset = UNSET
    note: None | str | Unset = UNSET
    remedy: None | str | Unset = UNSET
    promised_by: datetime.datetime | None | Unset = UNSET
    result: None | str | Unset = UNSET
    rating: int | None | Unset = UNSET
    comment: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, ServiceComplaintActInCategoryType0):
            category = self.category.value
        else:
            category = self.category

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        remedy: None | str | Unset
        if isinstance(self.remedy, Unset):
            remedy = UNSET
        else:
            remedy = self.remedy

        promised_by: None | str | Unset
        if isinstance(self.promised_by, Unset):
            promised_by = UNSET
        elif isinstance(self.promised_by, datetime.datetime):
            promised_by = self.promised_by.isoformat()
        else:
            promised_by = self.promised_by

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "action": action,
        })
        if category is not UNSET:
            field_dict["category"] = category
        if note is not UNSET:
            field_dict["note"] = note
        if remedy is not UNSET:
            field_dict["remedy"] = remedy
        if promised_by is not UNSET:
            field_dict["promised_by"] = promised_by
        if result is not UNSET:
            field_dict["result"] = result
        if rating is not UNSET:
            field_dict["rating"] = rating
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = ServiceComplaintActInAction(d.pop("action"))




        def _parse_category(data: object) -> None | ServiceComplaintActInCategoryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = ServiceComplaintActInCategoryType0(data)



                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceComplaintActInCategoryType0 | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        def _parse_remedy(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        remedy = _parse_remedy(d.pop("remedy", UNSET))


        def _parse_promised_by(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                promised_by_type_0 = datetime.datetime.fromisoformat(data)



                return promised_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        promised_by = _parse_promised_by(d.pop("promised_by", UNSET))


        def _parse_result(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        result = _parse_result(d.pop("result", UNSET))


        def _parse_rating(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating = _parse_rating(d.pop("rating", UNSET))


        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))


        service_complaint_act_in = cls(
            action=action,
            category=category,
            note=note,
            remedy=remedy,
            promised_by=promised_by,
            result=result,
            rating=rating,
            comment=comment,
        )

        return service_complaint_act_in

