from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.case_snapshot import CaseSnapshot
  from ..models.order_snapshot import OrderSnapshot
  from ..models.reminder import Reminder
  from ..models.service_complaint_snapshot import ServiceComplaintSnapshot





T = TypeVar("T", bound="ReminderData")



@_attrs_define
class ReminderData:
    """ 
        Attributes:
            deadline (Reminder):
            case (CaseSnapshot | None | Unset):
            order (None | OrderSnapshot | Unset):
            service_complaint (None | ServiceComplaintSnapshot | Unset):
     """

    deadline: Reminder
    case: CaseSnapshot | None | Unset = UNSET
    order: None | OrderSnapshot | Unset = UNSET
    service_complaint: None | ServiceComplaintSnapshot | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.case_snapshot import CaseSnapshot # noqa: PLC0415
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        from ..models.reminder import Reminder # noqa: PLC0415
        from ..models.service_complaint_snapshot import ServiceComplaintSnapshot # noqa: PLC0415
        deadline = self.deadline.to_dict()

        case: dict[str, Any] | None | Unset
        if isinstance(self.case, Unset):
            case = UNSET
        elif isinstance(self.case, CaseSnapshot):
            case = self.case.to_dict()
        else:
            case = self.case

        order: dict[str, Any] | None | Unset
        if isinstance(self.order, Unset):
            order = UNSET
        elif isinstance(self.order, OrderSnapshot):
            order = self.order.to_dict()
        else:
            order = self.order

        service_complaint: dict[str, Any] | None | Unset
        if isinstance(self.service_complaint, Unset):
            service_complaint = UNSET
        elif isinstance(self.service_complaint, ServiceComplaintSnapshot):
            service_complaint = self.service_complaint.to_dict()
        else:
            service_complaint = self.service_complaint


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "deadline": deadline,
        })
        if case is not UNSET:
            field_dict["case"] = case
        if order is not UNSET:
            field_dict["order"] = order
        if service_complaint is not UNSET:
            field_dict["service_complaint"] = service_complaint

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_snapshot import CaseSnapshot # noqa: PLC0415
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        from ..models.reminder import Reminder # noqa: PLC0415
        from ..models.service_complaint_snapshot import ServiceComplaintSnapshot # noqa: PLC0415
        d = dict(src_dict)
        deadline = Reminder.from_dict(d.pop("deadline"))




        def _parse_case(data: object) -> CaseSnapshot | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                case_type_0 = CaseSnapshot.from_dict(data)



                return case_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseSnapshot | None | Unset, data)

        case = _parse_case(d.pop("case", UNSET))


        def _parse_order(data: object) -> None | OrderSnapshot | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                order_type_0 = OrderSnapshot.from_dict(data)



                return order_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrderSnapshot | Unset, data)

        order = _parse_order(d.pop("order", UNSET))


        def _parse_service_complaint(data: object) -> None | ServiceComplaintSnapshot | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_complaint_type_0 = ServiceComplaintSnapshot.from_dict(data)



                return service_complaint_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceComplaintSnapshot | Unset, data)

        service_complaint = _parse_service_complaint(d.pop("service_complaint", UNSET))


        reminder_data = cls(
            deadline=deadline,
            case=case,
            order=order,
            service_complaint=service_complaint,
        )


        reminder_data.additional_properties = d
        return reminder_data

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
