from enum import StrEnum

class Reason(StrEnum):
    COUNTERFEIT = "counterfeit"
    DAMAGED = "damaged"
    INVOICE_PROBLEM = "invoice_problem"
    LATE_SHIPMENT = "late_shipment"
    MISSING_ITEMS = "missing_items"
    NOT_AS_DESCRIBED = "not_as_described"
    NOT_RECEIVED = "not_received"
    NO_LONGER_WANTED = "no_longer_wanted"
    ORDERED_BY_MISTAKE = "ordered_by_mistake"
    OTHER = "other"
    OUT_OF_STOCK = "out_of_stock"
    QUALITY_PROBLEM = "quality_problem"
    SEVEN_DAY_NO_REASON = "seven_day_no_reason"
    WRONG_ITEM = "wrong_item"

    def __str__(self) -> str:
        return str(self.value)
