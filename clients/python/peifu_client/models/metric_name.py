from enum import StrEnum

class MetricName(StrEnum):
    DISPUTE_RATE = "dispute_rate"
    REFUND_RATE = "refund_rate"
    RESOLUTION_TIME_MEDIAN = "resolution_time_median"
    RESOLUTION_TIME_P90 = "resolution_time_p90"
    RESPONSE_TIME_MEDIAN = "response_time_median"
    SELF_RESOLUTION_RATE = "self_resolution_rate"

    def __str__(self) -> str:
        return str(self.value)
