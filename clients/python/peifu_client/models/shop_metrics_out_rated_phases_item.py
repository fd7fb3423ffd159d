from enum import StrEnum

class ShopMetricsOutRatedPhasesItem(StrEnum):
    IN_TRADE = "in_trade"
    POST_TRADE = "post_trade"

    def __str__(self) -> str:
        return str(self.value)
