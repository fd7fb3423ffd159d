from enum import StrEnum

class SignalOutSubject(StrEnum):
    BUYER = "buyer"
    SHOP = "shop"

    def __str__(self) -> str:
        return str(self.value)
