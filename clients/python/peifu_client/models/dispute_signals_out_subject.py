from enum import StrEnum

class DisputeSignalsOutSubject(StrEnum):
    BUYER = "buyer"
    DISPUTE = "dispute"
    SHOP = "shop"

    def __str__(self) -> str:
        return str(self.value)
