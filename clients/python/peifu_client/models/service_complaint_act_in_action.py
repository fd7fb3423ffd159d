from enum import StrEnum

class ServiceComplaintActInAction(StrEnum):
    CONTACT = "contact"
    DISMISS = "dismiss"
    FORWARD = "forward"
    PROPOSE_REMEDY = "propose_remedy"
    RATE = "rate"
    REGISTER = "register"
    REPORT_DONE = "report_done"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"

    def __str__(self) -> str:
        return str(self.value)
