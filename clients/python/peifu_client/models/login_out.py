from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="LoginOut")



@_attrs_define
class LoginOut:
    """ 
        Attributes:
            token (str): Send as 'Authorization: Bearer <token>'; valid 12 hours.
            role (str):
            party_id (None | str):
            display_name (str):
     """

    token: str
    role: str
    party_id: None | str
    display_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        token = self.token

        role = self.role

        party_id: None | str
        party_id = self.party_id

        display_name = self.display_name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "token": token,
            "role": role,
            "party_id": party_id,
            "display_name": display_name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        role = d.pop("role")

        def _parse_party_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        party_id = _parse_party_id(d.pop("party_id"))


        display_name = d.pop("display_name")

        login_out = cls(
            token=token,
            role=role,
            party_id=party_id,
            display_name=display_name,
        )


        login_out.additional_properties = d
        return login_out

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
