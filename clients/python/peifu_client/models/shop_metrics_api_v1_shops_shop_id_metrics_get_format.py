from enum import StrEnum

class ShopMetricsApiV1ShopsShopIdMetricsGetFormat(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
