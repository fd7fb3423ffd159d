from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.health import Health
  from ..models.instant import Instant





T = TypeVar("T", bound="EndpointOut")



@_attrs_define
class EndpointOut:
    """ 
        Attributes:
            id (str):
            url (str):
            description (str):
            shop_id (None | str): null: every shop (the marketplace's own endpoint).
            event_types (list[str] | None): null: every type the owner may receive.
            status (str): active | failing (retries spent: events wait, probed hourly) | disabled
            secret_rotating_until (Instant | None): Until then the previous secret signs too.
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            updated_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            failing_since (Instant | None):
            last_success_at (Instant | None):
            health (Health):
            secret (None | str | Unset): whsec_…: only when the endpoint is created, its secret rotated, or asked for
                (…/secret).
     """

    id: str
    url: str
    description: str
    shop_id: None | str
    event_types: list[str] | None
    status: str
    secret_rotating_until: Instant | None
    created_at: Instant
    updated_at: Instant
    failing_since: Instant | None
    last_success_at: Instant | None
    health: Health
    secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.health import Health # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        id = self.id

        url = self.url

        description = self.description

        shop_id: None | str
        shop_id = self.shop_id

        event_types: list[str] | None
        if isinstance(self.event_types, list):
            event_types = self.event_types


        else:
            event_types = self.event_types

        status = self.status

        secret_rotating_until: dict[str, Any] | None
        if isinstance(self.secret_rotating_until, Instant):
            secret_rotating_until = self.secret_rotating_until.to_dict()
        else:
            secret_rotating_until = self.secret_rotating_until

        created_at = self.created_at.to_dict()

        updated_at = self.updated_at.to_dict()

        failing_since: dict[str, Any] | None
        if isinstance(self.failing_since, Instant):
            failing_since = self.failing_since.to_dict()
        else:
            failing_since = self.failing_since

        last_success_at: dict[str, Any] | None
        if isinstance(self.last_success_at, Instant):
            last_success_at = self.last_success_at.to_dict()
        else:
            last_success_at = self.last_success_at

        health = self.health.to_dict()

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "url": url,
            "description": description,
            "shop_id": shop_id,
            "event_types": event_types,
            "status": status,
            "secret_rotating_until": secret_rotating_until,
            "created_at": created_at,
            "updated_at": updated_at,
            "failing_since": failing_since,
            "last_success_at": last_success_at,
            "health": health,
        })
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health import Health # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        description = d.pop("description")

        def _parse_shop_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shop_id = _parse_shop_id(d.pop("shop_id"))


        def _parse_event_types(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_types_type_0 = cast(list[str], data)

                return event_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        event_types = _parse_event_types(d.pop("event_types"))


        status = d.pop("status")

        def _parse_secret_rotating_until(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                secret_rotating_until_type_0 = Instant.from_dict(data)



                return secret_rotating_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        secret_rotating_until = _parse_secret_rotating_until(d.pop("secret_rotating_until"))


        created_at = Instant.from_dict(d.pop("created_at"))




        updated_at = Instant.from_dict(d.pop("updated_at"))




        def _parse_failing_since(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                failing_since_type_0 = Instant.from_dict(data)



                return failing_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        failing_since = _parse_failing_since(d.pop("failing_since"))


        def _parse_last_success_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_success_at_type_0 = Instant.from_dict(data)



                return last_success_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        last_success_at = _parse_last_success_at(d.pop("last_success_at"))


        health = Health.from_dict(d.pop("health"))




        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))


        endpoint_out = cls(
            id=id,
            url=url,
            description=description,
            shop_id=shop_id,
            event_types=event_types,
            status=status,
            secret_rotating_until=secret_rotating_until,
            created_at=created_at,
            updated_at=updated_at,
            failing_since=failing_since,
            last_success_at=last_success_at,
            health=health,
            secret=secret,
        )


        endpoint_out.additional_properties = d
        return endpoint_out

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
