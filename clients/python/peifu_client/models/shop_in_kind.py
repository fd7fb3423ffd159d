from enum import StrEnum

class ShopInKind(StrEnum):
    TAOBAO = "taobao"
    TMALL = "tmall"

    def __str__(self) -> str:
        return str(self.value)
