from enum import StrEnum

class MetricOutUnit(StrEnum):
    RATIO = "ratio"
    SECONDS = "seconds"

    def __str__(self) -> str:
        return str(self.value)
