from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.buyer_in import BuyerIn
  from ..models.order_line_in import OrderLineIn
  from ..models.shop_in import ShopIn





T = TypeVar("T", bound="OrderIn")



@_attrs_define
class OrderIn:
    """ 
        Attributes:
            id (str): The marketplace's order number; unique.
            shop (ShopIn):
            buyer (BuyerIn):
            lines (list[OrderLineIn]):
            created_at (datetime.datetime | None | Unset): When the buyer checked out; defaults to now.
            free_shipping (bool | Unset):  Default: False.
            shipping_fee_fen (int | Unset): Amount in fen (1/100 yuan), an integer. Default: 0.
            shipping_insurance (bool | Unset):  Default: False.
            promotion (None | str | Unset): Official campaign id (e.g. juhuasuan); longer ship deadline.
            presale_ship_by (datetime.datetime | None | Unset): Presale listings: the promised ship date.
            invoice_promised (bool | Unset):  Default: False.
            gifts (list[str] | Unset):
     """

    id: str
    shop: ShopIn
    buyer: BuyerIn
    lines: list[OrderLineIn]
    created_at: datetime.datetime | None | Unset = UNSET
    free_shipping: bool | Unset = False
    shipping_fee_fen: int | Unset = 0
    shipping_insurance: bool | Unset = False
    promotion: None | str | Unset = UNSET
    presale_ship_by: datetime.datetime | None | Unset = UNSET
    invoice_promised: bool | Unset = False
    gifts: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.buyer_in import BuyerIn # noqa: PLC0415
        from ..models.order_line_in import OrderLineIn # noqa: PLC0415
        from ..models.shop_in import ShopIn # noqa: PLC0415
        id = self.id

        shop = self.shop.to_dict()

        buyer = self.buyer.to_dict()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        free_shipping = self.free_shipping

        shipping_fee_fen = self.shipping_fee_fen

        shipping_insurance = self.shipping_insurance

        promotion: None | str | Unset
        if isinstance(self.promotion, Unset):
            promotion = UNSET
        else:
            promotion = self.promotion

        presale_ship_by: None | str | Unset
        if isinstance(self.presale_ship_by, Unset):
            presale_ship_by = UNSET
        elif isinstance(self.presale_ship_by, datetime.datetime):
            presale_ship_by = self.presale_ship_by.isoformat()
        else:
            presale_ship_by = self.presale_ship_by

        invoice_promised = self.invoice_promised

        gifts: list[str] | Unset = UNSET
        if not isinstance(self.gifts, Unset):
            gifts = self.gifts




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
            "shop": shop,
            "buyer": buyer,
            "lines": lines,
        })
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if free_shipping is not UNSET:
            field_dict["free_shipping"] = free_shipping
        if shipping_fee_fen is not UNSET:
            field_dict["shipping_fee_fen"] = shipping_fee_fen
        if shipping_insurance is not UNSET:
            field_dict["shipping_insurance"] = shipping_insurance
        if promotion is not UNSET:
            field_dict["promotion"] = promotion
        if presale_ship_by is not UNSET:
            field_dict["presale_ship_by"] = presale_ship_by
        if invoice_promised is not UNSET:
            field_dict["invoice_promised"] = invoice_promised
        if gifts is not UNSET:
            field_dict["gifts"] = gifts

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.buyer_in import BuyerIn # noqa: PLC0415
        from ..models.order_line_in import OrderLineIn # noqa: PLC0415
        from ..models.shop_in import ShopIn # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        shop = ShopIn.from_dict(d.pop("shop"))




        buyer = BuyerIn.from_dict(d.pop("buyer"))




        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = OrderLineIn.from_dict(lines_item_data)



            lines.append(lines_item)


        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)



                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))


        free_shipping = d.pop("free_shipping", UNSET)

        shipping_fee_fen = d.pop("shipping_fee_fen", UNSET)

        shipping_insurance = d.pop("shipping_insurance", UNSET)

        def _parse_promotion(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        promotion = _parse_promotion(d.pop("promotion", UNSET))


        def _parse_presale_ship_by(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                presale_ship_by_type_0 = datetime.datetime.fromisoformat(data)



                return presale_ship_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        presale_ship_by = _parse_presale_ship_by(d.pop("presale_ship_by", UNSET))


        invoice_promised = d.pop("invoice_promised", UNSET)

        gifts = cast(list[str], d.pop("gifts", UNSET))


        order_in = cls(
            id=id,
            shop=shop,
            buyer=buyer,
            lines=lines,
            created_at=created_at,
            free_shipping=free_shipping,
            shipping_fee_fen=shipping_fee_fen,
            shipping_insurance=shipping_insurance,
            promotion=promotion,
            presale_ship_by=presale_ship_by,
            invoice_promised=invoice_promised,
            gifts=gifts,
        )

        return order_in

