from enum import StrEnum

class OrderEventKind(StrEnum):
    CLOSED = "closed"
    CONFIRMED = "confirmed"
    PAID = "paid"
    REFUSED_DELIVERY = "refused_delivery"
    SHIPPED = "shipped"
    SIGNED = "signed"

    def __str__(self) -> str:
        return str(self.value)
