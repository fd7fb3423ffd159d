from enum import StrEnum

class Channel(StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    FORM = "form"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
