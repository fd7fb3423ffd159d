from enum import StrEnum

class CategoryMetricsApiV1CategoriesCategoryMetricsGetFormat(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
