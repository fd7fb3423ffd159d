from enum import StrEnum

class SignalCode(StrEnum):
    COUNTERFEIT_UNPROVEN = "counterfeit_unproven"
    FAKE_SHIPPING = "fake_shipping"
    LATE_SHIPMENTS = "late_shipments"
    QUICK_CLAIMS_MANY_SHOPS = "quick_claims_many_shops"
    REASON_SWITCHING = "reason_switching"
    REFUND_ONLY_FREQUENCY = "refund_only_frequency"

    def __str__(self) -> str:
        return str(self.value)
