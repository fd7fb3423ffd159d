from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.service_complaint_data import ServiceComplaintData
  from ..models.subject_ref import SubjectRef





T = TypeVar("T", bound="EnvelopeServiceComplaintData")



@_attrs_define
class EnvelopeServiceComplaintData:
    """ 
        Attributes:
            id (str): The event id (evt_…): also the webhook-id header and the AMQP message_id.
            type_ (str):
            schema_version (int): Currently 1.
            timestamp (str): When it happened (UTC, ISO 8601).
            shop_id (None | str):
            buyer_id (None | str):
            subject (SubjectRef):
            data (ServiceComplaintData):
     """

    id: str
    type_: str
    schema_version: int
    timestamp: str
    shop_id: None | str
    buyer_id: None | str
    subject: SubjectRef
    data: ServiceComplaintData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service_complaint_data import ServiceComplaintData # noqa: PLC0415
        from ..models.subject_ref import SubjectRef # noqa: PLC0415
        id = self.id

        type_ = self.type_

        schema_version = self.schema_version

        timestamp = self.timestamp

        shop_id: None | str
        shop_id = self.shop_id

        buyer_id: None | str
        buyer_id = self.buyer_id

        subject = self.subject.to_dict()

        data = self.data.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "schema_version": schema_version,
            "timestamp": timestamp,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "subject": subject,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_complaint_data import ServiceComplaintData # noqa: PLC0415
        from ..models.subject_ref import SubjectRef # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        schema_version = d.pop("schema_version")

        timestamp = d.pop("timestamp")

        def _parse_shop_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        shop_id = _parse_shop_id(d.pop("shop_id"))


        def _parse_buyer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        buyer_id = _parse_buyer_id(d.pop("buyer_id"))


        subject = SubjectRef.from_dict(d.pop("subject"))




        data = ServiceComplaintData.from_dict(d.pop("data"))




        envelope_service_complaint_data = cls(
            id=id,
            type_=type_,
            schema_version=schema_version,
            timestamp=timestamp,
            shop_id=shop_id,
            buyer_id=buyer_id,
            subject=subject,
            data=data,
        )


        envelope_service_complaint_data.additional_properties = d
        return envelope_service_complaint_data

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
