from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.service_complaint_in_category_type_0 import ServiceComplaintInCategoryType0
from ..models.service_complaint_in_channel import ServiceComplaintInChannel
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ServiceComplaintIn")



@_attrs_define
class ServiceComplaintIn:
    """ A buyer files (channel online, chat, e-mail, social media…); an agent enters one taken by
    phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`).

        Attributes:
            description (str):
            channel (ServiceComplaintInChannel | Unset):  Default: ServiceComplaintInChannel.ONLINE.
            order_id (None | str | Unset):
            case_id (int | None | Unset):
            shop_id (None | str | Unset): Needed only when there is no order.
            buyer_id (None | str | Unset): Agents only: the buyer they enter it for.
            category (None | ServiceComplaintInCategoryType0 | Unset): Agents only: register it at once.
     """

    description: str
    channel: ServiceComplaintInChannel | Unset = ServiceComplaintInChannel.ONLINE
    order_id: None | str | Unset = UNSET
    case_id: int | None | Unset = UNSET
    shop_id: None | str | Unset = UNSET
    buyer_id: None | str | Unset = UNSET
    category: None | ServiceComplaintInCategoryType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value


        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        case_id: int | None | Unset
        if isinstance(self.case_id, Unset):
            case_id = UNSET
        else:
            case_id = self.case_id

        shop_id: None | str | Unset
        if isinstance(self.shop_id, Unset):
            shop_id = UNSET
        else:
            shop_id = self.shop_id

        buyer_id: None | str | Unset
        if isinstance(self.buyer_id, Unset):
            buyer_id = UNSET
        else:
            buyer_id = self.buyer_id

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, ServiceComplaintInCategoryType0):
            category = self.category.value
        else:
            category = self.category


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "description": description,
        })
        if channel is not UNSET:
            field_dict["channel"] = channel
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if shop_id is not UNSET:
            field_dict["shop_id"] = shop_id
        if buyer_id is not UNSET:
            field_dict["buyer_id"] = buyer_id
        if category is not UNSET:
            field_dict["category"] = category

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        _channel = d.pop("channel", UNSET)
        channel: ServiceComplaintInChannel | Unset
        if isinstance(_channel,  Unset):
            channel = UNSET
        else:
            channel = ServiceComplaintInChannel(_channel)




        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        def _parse_case_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        case_id = _parse_case_id(d.pop("case_id", UNSET))


        def _parse_shop_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shop_id = _parse_shop_id(d.pop("shop_id", UNSET))


        def _parse_buyer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buyer_id = _parse_buyer_id(d.pop("buyer_id", UNSET))


        def _parse_category(data: object) -> None | ServiceComplaintInCategoryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = ServiceComplaintInCategoryType0(data)



                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceComplaintInCategoryType0 | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        service_complaint_in = cls(
            description=description,
            channel=channel,
            order_id=order_id,
            case_id=case_id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            category=category,
        )

        return service_complaint_in

