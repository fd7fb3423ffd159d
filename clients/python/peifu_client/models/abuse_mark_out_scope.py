from enum import StrEnum

class AbuseMarkOutScope(StrEnum):
    ALL = "all"
    CASES = "cases"
    NONE = "none"
    SINCE = "since"

    def __str__(self) -> str:
        return str(self.value)
