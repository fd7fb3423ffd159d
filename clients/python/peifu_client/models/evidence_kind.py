from enum import StrEnum

class EvidenceKind(StrEnum):
    CHAT_LOG = "chat_log"
    DOCUMENT = "document"
    IMAGE = "image"
    LOGISTICS = "logistics"
    TEXT = "text"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
