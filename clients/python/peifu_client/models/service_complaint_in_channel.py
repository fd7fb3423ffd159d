from enum import StrEnum

class ServiceComplaintInChannel(StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    ONLINE = "online"
    PHONE = "phone"
    SOCIAL_MEDIA = "social_media"

    def __str__(self) -> str:
        return str(self.value)
