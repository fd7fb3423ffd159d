from enum import StrEnum

class AutoRuleInOrderStagesItem(StrEnum):
    COMPLETED = "completed"
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    NOT_SHIPPED = "not_shipped"

    def __str__(self) -> str:
        return str(self.value)
