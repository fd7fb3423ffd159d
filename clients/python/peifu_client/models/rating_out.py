from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.instant import Instant





T = TypeVar("T", bound="RatingOut")



@_attrs_define
class RatingOut:
    """ 
        Attributes:
            case_id (int):
            shop_id (str):
            score (int): 1 to 5.
            comment (str):
            outcome (str): The final state of the case when it was rated.
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
     """

    case_id: int
    shop_id: str
    score: int
    comment: str
    outcome: str
    created_at: Instant
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.instant import Instant # noqa: PLC0415
        case_id = self.case_id

        shop_id = self.shop_id

        score = self.score

        comment = self.comment

        outcome = self.outcome

        created_at = self.created_at.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "case_id": case_id,
            "shop_id": shop_id,
            "score": score,
            "comment": comment,
            "outcome": outcome,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        case_id = d.pop("case_id")

        shop_id = d.pop("shop_id")

        score = d.pop("score")

        comment = d.pop("comment")

        outcome = d.pop("outcome")

        created_at = Instant.from_dict(d.pop("created_at"))




        rating_out = cls(
            case_id=case_id,
            shop_id=shop_id,
            score=score,
            comment=comment,
            outcome=outcome,
            created_at=created_at,
        )


        rating_out.additional_properties = d
        return rating_out

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
