from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.service_complaint_miss_out import ServiceComplaintMissOut
  from ..models.service_complaint_snapshot import ServiceComplaintSnapshot





T = TypeVar("T", bound="ServiceComplaintData")



@_attrs_define
class ServiceComplaintData:
    """ 
        Attributes:
            service_complaint (ServiceComplaintSnapshot):
            action (None | str | Unset): service_complaint.closed: the move that ended it
            miss (None | ServiceComplaintMissOut | Unset): service_complaint.step_missed only
     """

    service_complaint: ServiceComplaintSnapshot
    action: None | str | Unset = UNSET
    miss: None | ServiceComplaintMissOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service_complaint_miss_out import ServiceComplaintMissOut # noqa: PLC0415
        from ..models.service_complaint_snapshot import ServiceComplaintSnapshot # noqa: PLC0415
        service_complaint = self.service_complaint.to_dict()

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        miss: dict[str, Any] | None | Unset
        if isinstance(self.miss, Unset):
            miss = UNSET
        elif isinstance(self.miss, ServiceComplaintMissOut):
            miss = self.miss.to_dict()
        else:
            miss = self.miss


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_complaint": service_complaint,
        })
        if action is not UNSET:
            field_dict["action"] = action
        if miss is not UNSET:
            field_dict["miss"] = miss

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_complaint_miss_out import ServiceComplaintMissOut # noqa: PLC0415
        from ..models.service_complaint_snapshot import ServiceComplaintSnapshot # noqa: PLC0415
        d = dict(src_dict)
        service_complaint = ServiceComplaintSnapshot.from_dict(d.pop("service_complaint"))




        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        def _parse_miss(data: object) -> None | ServiceComplaintMissOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                miss_type_0 = ServiceComplaintMissOut.from_dict(data)



                return miss_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceComplaintMissOut | Unset, data)

        miss = _parse_miss(d.pop("miss", UNSET))


        service_complaint_data = cls(
            service_complaint=service_complaint,
            action=action,
            miss=miss,
        )


        service_complaint_data.additional_properties = d
        return service_complaint_data

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
