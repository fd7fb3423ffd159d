from enum import StrEnum

class CaseState(StrEnum):
    AWAITING_REPLACEMENT = "awaiting_replacement"
    AWAITING_RETURN = "awaiting_return"
    CLOSED = "closed"
    IN_INTERVENTION = "in_intervention"
    PROPOSED = "proposed"
    REFUNDED = "refunded"
    REFUNDING = "refunding"
    REFUSED = "refused"
    REPLACEMENT_SHIPPED = "replacement_shipped"
    REQUESTED = "requested"
    RESOLVED = "resolved"
    RETURN_REJECTED = "return_rejected"
    RETURN_SHIPPED = "return_shipped"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
