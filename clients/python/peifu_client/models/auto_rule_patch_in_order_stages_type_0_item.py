from enum import StrEnum

class AutoRulePatchInOrderStagesType0Item(StrEnum):
    COMPLETED = "completed"
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    NOT_SHIPPED = "not_shipped"

    def __str__(self) -> str:
        return str(self.value)
