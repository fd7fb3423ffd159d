from enum import StrEnum

class ShopMetricsOutCategorySourceType0(StrEnum):
    ORDER_LINES = "order_lines"
    SHOP = "shop"

    def __str__(self) -> str:
        return str(self.value)
