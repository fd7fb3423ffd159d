from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.buyer_out import BuyerOut
  from ..models.instant import Instant
  from ..models.order_event_out import OrderEventOut
  from ..models.order_line_out import OrderLineOut





T = TypeVar("T", bound="OrderOut")



@_attrs_define
class OrderOut:
    """ 
        Attributes:
            id (str):
            shop_id (str):
            buyer_id (str):
            buyer (BuyerOut):
            state (str):
            policy_version (str):
            created_at (Instant): A moment: stored UTC, and the Asia/Shanghai wall time people read.
            paid_at (Instant | None):
            ship_deadline (Instant | None):
            shipped_at (Instant | None):
            courier (None | str):
            tracking_no (None | str):
            signed_at (Instant | None):
            completed_at (Instant | None):
            closed_at (Instant | None):
            auto_confirm_at (Instant | None):
            free_shipping (bool):
            shipping_fee_fen (int):
            shipping_insurance (bool):
            promotion (None | str):
            presale_ship_by (Instant | None):
            invoice_promised (bool):
            gifts (list[str]):
            total_paid_fen (int):
            lines (list[OrderLineOut]):
            events (list[OrderEventOut]):
     """

    id: str
    shop_id: str
    buyer_id: str
    buyer: BuyerOut
    state: str
    policy_version: str
    created_at: Instant
    paid_at: Instant | None
    ship_deadline: Instant | None
    shipped_at: Instant | None
    courier: None | str
    tracking_no: None | str
    signed_at: Instant | None
    completed_at: Instant | None
    closed_at: Instant | None
    auto_confirm_at: Instant | None
    free_shipping: bool
    shipping_fee_fen: int
    shipping_insurance: bool
    promotion: None | str
    presale_ship_by: Instant | None
    invoice_promised: bool
    gifts: list[str]
    total_paid_fen: int
    lines: list[OrderLineOut]
    events: list[OrderEventOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.buyer_out import BuyerOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.order_event_out import OrderEventOut # noqa: PLC0415
        from ..models.order_line_out import OrderLineOut # noqa: PLC0415
        id = self.id

        shop_id = self.shop_id

        buyer_id = self.buyer_id

        buyer = self.buyer.to_dict()

        state = self.state

        policy_version = self.policy_version

        created_at = self.created_at.to_dict()

        paid_at: dict[str, Any] | None
        if isinstance(self.paid_at, Instant):
            paid_at = self.paid_at.to_dict()
        else:
            paid_at = self.paid_at

        ship_deadline: dict[str, Any] | None
        if isinstance(self.ship_deadline, Instant):
            ship_deadline = self.ship_deadline.to_dict()
        else:
            ship_deadline = self.ship_deadline

        shipped_at: dict[str, Any] | None
        if isinstance(self.shipped_at, Instant):
            shipped_at = self.shipped_at.to_dict()
        else:
            shipped_at = self.shipped_at

        courier: None | str
        courier = self.courier

        tracking_no: None | str
        tracking_no = self.tracking_no

        signed_at: dict[str, Any] | None
        if isinstance(self.signed_at, Instant):
            signed_at = self.signed_at.to_dict()
        else:
            signed_at = self.signed_at

        completed_at: dict[str, Any] | None
        if isinstance(self.completed_at, Instant):
            completed_at = self.completed_at.to_dict()
        else:
            completed_at = self.completed_at

        closed_at: dict[str, Any] | None
        if isinstance(self.closed_at, Instant):
            closed_at = self.closed_at.to_dict()
        else:
            closed_at = self.closed_at

        auto_confirm_at: dict[str, Any] | None
        if isinstance(self.auto_confirm_at, Instant):
            auto_confirm_at = self.auto_confirm_at.to_dict()
        else:
            auto_confirm_at = self.auto_confirm_at

        free_shipping = self.free_shipping

        shipping_fee_fen = self.shipping_fee_fen

        shipping_insurance = self.shipping_insurance

        promotion: None | str
        promotion = self.promotion

        presale_ship_by: dict[str, Any] | None
        if isinstance(self.presale_ship_by, Instant):
            presale_ship_by = self.presale_ship_by.to_dict()
        else:
            presale_ship_by = self.presale_ship_by

        invoice_promised = self.invoice_promised

        gifts = self.gifts



        total_paid_fen = self.total_paid_fen

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "shop_id": shop_id,
            "buyer_id": buyer_id,
            "buyer": buyer,
            "state": state,
            "policy_version": policy_version,
            "created_at": created_at,
            "paid_at": paid_at,
            "ship_deadline": ship_deadline,
            "shipped_at": shipped_at,
            "courier": courier,
            "tracking_no": tracking_no,
            "signed_at": signed_at,
            "completed_at": completed_at,
            "closed_at": closed_at,
            "auto_confirm_at": auto_confirm_at,
            "free_shipping": free_shipping,
            "shipping_fee_fen": shipping_fee_fen,
            "shipping_insurance": shipping_insurance,
            "promotion": promotion,
            "presale_ship_by": presale_ship_by,
            "invoice_promised": invoice_promised,
            "gifts": gifts,
            "total_paid_fen": total_paid_fen,
            "lines": lines,
            "events": events,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.buyer_out import BuyerOut # noqa: PLC0415
        from ..models.instant import Instant # noqa: PLC0415
        from ..models.order_event_out import OrderEventOut # noqa: PLC0415
        from ..models.order_line_out import OrderLineOut # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        shop_id = d.pop("shop_id")

        buyer_id = d.pop("buyer_id")

        buyer = BuyerOut.from_dict(d.pop("buyer"))




        state = d.pop("state")

        policy_version = d.pop("policy_version")

        created_at = Instant.from_dict(d.pop("created_at"))




        def _parse_paid_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                paid_at_type_0 = Instant.from_dict(data)



                return paid_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        paid_at = _parse_paid_at(d.pop("paid_at"))


        def _parse_ship_deadline(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ship_deadline_type_0 = Instant.from_dict(data)



                return ship_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        ship_deadline = _parse_ship_deadline(d.pop("ship_deadline"))


        def _parse_shipped_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shipped_at_type_0 = Instant.from_dict(data)



                return shipped_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        shipped_at = _parse_shipped_at(d.pop("shipped_at"))


        def _parse_courier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        courier = _parse_courier(d.pop("courier"))


        def _parse_tracking_no(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tracking_no = _parse_tracking_no(d.pop("tracking_no"))


        def _parse_signed_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signed_at_type_0 = Instant.from_dict(data)



                return signed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        signed_at = _parse_signed_at(d.pop("signed_at"))


        def _parse_completed_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                completed_at_type_0 = Instant.from_dict(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))


        def _parse_closed_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                closed_at_type_0 = Instant.from_dict(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))


        def _parse_auto_confirm_at(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auto_confirm_at_type_0 = Instant.from_dict(data)



                return auto_confirm_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        auto_confirm_at = _parse_auto_confirm_at(d.pop("auto_confirm_at"))


        free_shipping = d.pop("free_shipping")

        shipping_fee_fen = d.pop("shipping_fee_fen")

        shipping_insurance = d.pop("shipping_insurance")

        def _parse_promotion(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        promotion = _parse_promotion(d.pop("promotion"))


        def _parse_presale_ship_by(data: object) -> Instant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                presale_ship_by_type_0 = Instant.from_dict(data)



                return presale_ship_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Instant | None, data)

        presale_ship_by = _parse_presale_ship_by(d.pop("presale_ship_by"))


        invoice_promised = d.pop("invoice_promised")

        gifts = cast(list[str], d.pop("gifts"))


        total_paid_fen = d.pop("total_paid_fen")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = OrderLineOut.from_dict(lines_item_data)



            lines.append(lines_item)


        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = OrderEventOut.from_dict(events_item_data)



            events.append(events_item)


        order_out = cls(
            id=id,
            shop_id=shop_id,
            buyer_id=buyer_id,
            buyer=buyer,
            state=state,
            policy_version=policy_version,
            created_at=created_at,
            paid_at=paid_at,
            ship_deadline=ship_deadline,
            shipped_at=shipped_at,
            courier=courier,
            tracking_no=tracking_no,
            signed_at=signed_at,
            completed_at=completed_at,
            closed_at=closed_at,
            auto_confirm_at=auto_confirm_at,
            free_shipping=free_shipping,
            shipping_fee_fen=shipping_fee_fen,
            shipping_insurance=shipping_insurance,
            promotion=promotion,
            presale_ship_by=presale_ship_by,
            invoice_promised=invoice_promised,
            gifts=gifts,
            total_paid_fen=total_paid_fen,
            lines=lines,
            events=events,
        )


        order_out.additional_properties = d
        return order_out

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
