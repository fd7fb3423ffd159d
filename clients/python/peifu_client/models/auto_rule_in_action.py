from enum import StrEnum

class AutoRuleInAction(StrEnum):
    AGREE = "agree"
    AGREE_AFTER_RETURN_SIGNED = "agree_after_return_signed"
    ASK_TO_MODIFY_REASON = "ask_to_modify_reason"

    def __str__(self) -> str:
        return str(self.value)
