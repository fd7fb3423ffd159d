from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.compensation_out import CompensationOut
  from ..models.ledger_transaction_out import LedgerTransactionOut
  from ..models.payout_out import PayoutOut





T = TypeVar("T", bound="CaseMoneyOut")



@_attrs_define
class CaseMoneyOut:
    """ 
        Attributes:
            refunded_fen (int): Refunded for the goods (and shipping), all transactions together.
            compensation_fen (int):
            compensations (list[CompensationOut]):
            payouts (list[PayoutOut]):
            transactions (list[LedgerTransactionOut]):
     """

    refunded_fen: int
    compensation_fen: int
    compensations: list[CompensationOut]
    payouts: list[PayoutOut]
    transactions: list[LedgerTransactionOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.compensation_out import CompensationOut # noqa: PLC0415
        from ..models.ledger_transaction_out import LedgerTransactionOut # noqa: PLC0415
        from ..models.payout_out import PayoutOut # noqa: PLC0415
        refunded_fen = self.refunded_fen

        compensation_fen = self.compensation_fen

        compensations = []
        for compensations_item_data in self.compensations:
            compensations_item = compensations_item_data.to_dict()
            compensations.append(compensations_item)



        payouts = []
        for payouts_item_data in self.payouts:
            payouts_item = payouts_item_data.to_dict()
            payouts.append(payouts_item)



        transactions = []
        for transactions_item_data in self.transactions:
            transactions_item = transactions_item_data.to_dict()
            transactions.append(transactions_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "refunded_fen": refunded_fen,
            "compensation_fen": compensation_fen,
            "compensations": compensations,
            "payouts": payouts,
            "transactions": transactions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compensation_out import CompensationOut # noqa: PLC0415
        from ..models.ledger_transaction_out import LedgerTransactionOut # noqa: PLC0415
        from ..models.payout_out import PayoutOut # noqa: PLC0415
        d = dict(src_dict)
        refunded_fen = d.pop("refunded_fen")

        compensation_fen = d.pop("compensation_fen")

        compensations = []
        _compensations = d.pop("compensations")
        for compensations_item_data in (_compensations):
            compensations_item = CompensationOut.from_dict(compensations_item_data)



            compensations.append(compensations_item)


        payouts = []
        _payouts = d.pop("payouts")
        for payouts_item_data in (_payouts):
            payouts_item = PayoutOut.from_dict(payouts_item_data)



            payouts.append(payouts_item)


        transactions = []
        _transactions = d.pop("transactions")
        for transactions_item_data in (_transactions):
            transactions_item = LedgerTransactionOut.from_dict(transactions_item_data)



            transactions.append(transactions_item)


        case_money_out = cls(
            refunded_fen=refunded_fen,
            compensation_fen=compensation_fen,
            compensations=compensations,
            payouts=payouts,
            transactions=transactions,
        )


        case_money_out.additional_properties = d
        return case_money_out

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
