from enum import StrEnum

class ServiceComplaintActInCategoryType0(StrEnum):
    DAMAGED = "damaged"
    MISSING = "missing"
    NOT_AS_DESCRIBED = "not_as_described"
    OTHER = "other"
    QUALITY = "quality"
    SERVICE = "service"

    def __str__(self) -> str:
        return str(self.value)
