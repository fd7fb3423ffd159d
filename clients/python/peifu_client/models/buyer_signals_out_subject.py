from enum import StrEnum

class BuyerSignalsOutSubject(StrEnum):
    BUYER = "buyer"
    DISPUTE = "dispute"
    SHOP = "shop"

    def __str__(self) -> str:
        return str(self.value)
