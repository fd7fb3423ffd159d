from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SanctionSnapshot")



@_attrs_define
class SanctionSnapshot:
    """ 
        Attributes:
            id (int):
            sanction (str):
            threshold (int):
            points_at_trigger (int):
            complaint_ids (list[int]):
            triggered_at (str):
            revoked_at (None | str):
     """

    id: int
    sanction: str
    threshold: int
    points_at_trigger: int
    complaint_ids: list[int]
    triggered_at: str
    revoked_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sanction = self.sanction

        threshold = self.threshold

        points_at_trigger = self.points_at_trigger

        complaint_ids = self.complaint_ids



        triggered_at = self.triggered_at

        revoked_at: None | str
        revoked_at = self.revoked_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "sanction": sanction,
            "threshold": threshold,
            "points_at_trigger": points_at_trigger,
            "complaint_ids": complaint_ids,
            "triggered_at": triggered_at,
            "revoked_at": revoked_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        sanction = d.pop("sanction")

        threshold = d.pop("threshold")

        points_at_trigger = d.pop("points_at_trigger")

        complaint_ids = cast(list[int], d.pop("complaint_ids"))


        triggered_at = d.pop("triggered_at")

        def _parse_revoked_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        sanction_snapshot = cls(
            id=id,
            sanction=sanction,
            threshold=threshold,
            points_at_trigger=points_at_trigger,
            complaint_ids=complaint_ids,
            triggered_at=triggered_at,
            revoked_at=revoked_at,
        )


        sanction_snapshot.additional_properties = d
        return sanction_snapshot

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
