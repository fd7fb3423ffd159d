"""Complaint triage (投诉分诊): what a buyer's free text suggests — the rules half.

The statistical half (which reason the text is about, with a probability) lives in
`peifu.triage`, outside the domain, because it needs scikit-learn and jieba. This module holds
what is plain rules and can be read, reviewed and tested line by line:

* the result type (`TriageResult`) and the priority scale (`Priority`);
* the case type suggestion (`suggest_case_type`): an explicit wish in the text (换货 → exchange,
  补发 → reship, 维修 → repair, 退差价 → partial_refund, 仅退款 → refund_only, 退货 →
  return_and_refund) wins; otherwise the usual remedy for the reason (seed 003's tables: missing
  or wrong goods are sent again or exchanged, goods problems go back for a refund, nothing
  shipped means money back only);
* the priority rules (`priority_for`), each firing a named signal so that the queue can say *why*.

All text given to these functions is the normalised form made by `peifu.triage.text.normalise`:
simplified Chinese, lower case, half-width. The rules are product choices of this platform, not
numbers from the seeds; they are documented here and in docs/triage-evaluation.md.

Priority scale, highest first:

``urgent``
    a safety hazard (fire, smoke, electric shock, burns, injuries, allergic reactions, poisoning,
    spoiled food); a counterfeit claim (seed 004: counterfeit claims follow their own proof rules
    and counterfeit_multiple compensation, and professional claimants exploit them, so an agent
    looks at them first); a threat to go to the regulator, the police, a court or the press
    (12315, 消协, 律师, 曝光 …).
``high``
    repeated contact (第三次, 催了好几次, "third time", "still no answer"); a large amount at
    stake (at least `LARGE_AMOUNT_FEN`, from the request's refund amount or a sum written in the
    text); a phone note recording a buyer in distress (情绪激动).
``normal``
    everything else, and any text whose reason the model is unsure about (confidence below
    `UNSURE_BELOW`): a guess must not push a request down the queue.
``low``
    the buyer-side reasons the seed 003 training says sellers may agree at once (ordered by
    mistake, no longer wanted, seven-day no-reason return) when no other signal fires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from peifu.domain.vocabulary import CaseType, Reason

MAX_TEXT_CHARS = 2000
"""The longest text triaged: the same bound as a case description."""

LARGE_AMOUNT_FEN = 100_000
"""1,000 yuan: at or above it a request is `high` priority (a product choice, not a seed number)."""

UNSURE_BELOW = 0.35
"""Below this confidence the suggested reason is a guess: it never lowers the priority."""


class Priority(StrEnum):
    urgent = "urgent"  # 紧急
    high = "high"  # 高
    normal = "normal"  # 普通
    low = "low"  # 低

    @property
    def rank(self) -> int:
        """0 for urgent … 3 for low: sort ascending to put the most pressing first."""
        return PRIORITY_ORDER.index(self)


PRIORITY_ORDER: tuple[Priority, ...] = (Priority.urgent, Priority.high, Priority.normal, Priority.low)


class Channel(StrEnum):
    """Where the text came from (渠道)."""

    form = "form"  # 售后申请表单
    chat = "chat"  # 在线咨询 / 旺旺
    phone = "phone"  # 电话记录 (an agent's note)
    email = "email"  # 邮件


class Language(StrEnum):
    zh_hans = "zh-Hans"
    zh_hant = "zh-Hant"
    en = "en"


class Signal(StrEnum):
    """Why a priority was given; several may fire at once."""

    safety_hazard = "safety_hazard"
    counterfeit_claim = "counterfeit_claim"
    legal_threat = "legal_threat"
    repeated_contact = "repeated_contact"
    large_amount = "large_amount"
    buyer_distress = "buyer_distress"
    buyer_side_reason = "buyer_side_reason"
    unsure_reason = "unsure_reason"


SIGNAL_PRIORITY: dict[Signal, Priority] = {
    Signal.safety_hazard: Priority.urgent,
    Signal.counterfeit_claim: Priority.urgent,
    Signal.legal_threat: Priority.urgent,
    Signal.repeated_contact: Priority.high,
    Signal.large_amount: Priority.high,
    Signal.buyer_distress: Priority.high,
    Signal.buyer_side_reason: Priority.low,
    Signal.unsure_reason: Priority.normal,
}


@dataclass(frozen=True)
class Alternative:
    reason: Reason
    p: float


@dataclass(frozen=True)
class TriageResult:
    reason: Reason
    case_type: CaseType
    priority: Priority
    confidence: float  # the model's probability for `reason`, 0..1
    alternatives: tuple[Alternative, ...]  # the next most likely reasons, most likely first
    language: Language
    signals: tuple[Signal, ...] = field(default=())
    model: str = ""  # which model answered (its data and library fingerprint)


# --- case type -----------------------------------------------------------------------------------

# An explicit wish, checked in this order (refund_only before return_and_refund: 不退货 holds 退货).
WISHES: tuple[tuple[CaseType, re.Pattern[str]], ...] = (
    (
        CaseType.exchange,
        re.compile(
            r"换货|换一(个|件|双|台|条|下|批)|换个|换新|给我换|调换|换成|更换|"
            r"\bexchange\b|\bswap\b|\breplace (it|them|this)\b|\breplacement\b"
        ),
    ),
    (CaseType.repair, re.compile(r"维修|修一下|修好|保修|返修|\brepair\b|\bfix (it|this)\b")),
    (
        CaseType.reship,
        re.compile(r"补发|补寄|重新发|再发一|发一个过来|\bresend\b|\bre-?ship\b|\bsend (it|the \w+|them) again\b"),
    ),
    (
        CaseType.partial_refund,
        re.compile(
            r"退差价|差价|部分退款|退一部分|补偿一点|补点钱|补偿点|"
            r"\bpartial refund\b|\bprice difference\b|\bthe difference\b|\bpart of the money\b"
        ),
    ),
    (
        CaseType.refund_only,
        re.compile(r"仅退款|只退款|不用退货|不退货|不想退货|\brefund only\b|\bjust (a )?refund\b|\bkeep the item\b"),
    ),
    (CaseType.return_and_refund, re.compile(r"退货|寄回|退回去|\breturn(ing|ed)?\b|\bsend (it|this) back\b")),
)

DEFAULT_CASE_TYPE: dict[Reason, CaseType] = {
    Reason.out_of_stock: CaseType.refund_only,
    Reason.late_shipment: CaseType.refund_only,
    Reason.ordered_by_mistake: CaseType.refund_only,
    Reason.no_longer_wanted: CaseType.refund_only,
    Reason.not_received: CaseType.refund_only,
    Reason.invoice_problem: CaseType.refund_only,
    Reason.other: CaseType.refund_only,
    Reason.quality_problem: CaseType.return_and_refund,
    Reason.not_as_described: CaseType.return_and_refund,
    Reason.counterfeit: CaseType.return_and_refund,  # seed 004: without proof, return and refund
    Reason.damaged: CaseType.return_and_refund,
    Reason.seven_day_no_reason: CaseType.return_and_refund,
    Reason.wrong_item: CaseType.exchange,
    Reason.missing_items: CaseType.reship,
}

# Reasons that only ever mean money back (see domain.eligibility: goods cannot go back for them).
MONEY_ONLY_REASONS = frozenset({Reason.out_of_stock, Reason.late_shipment})
SEVEN_DAY_TYPES = frozenset({CaseType.return_and_refund, CaseType.exchange})


def stated_wish(text: str) -> CaseType | None:
    """The remedy the buyer asks for in so many words, if any."""
    for case_type, pattern in WISHES:
        if pattern.search(text):
            return case_type
    return None


def suggest_case_type(text: str, reason: Reason, *, goods_sent: bool | None = None) -> CaseType:
    """The case type to suggest: the buyer's stated wish when the rules allow it for the reason,
    else the reason's usual remedy. `goods_sent=False` (the order has not shipped) leaves only
    refund_only, as domain.eligibility does."""
    if goods_sent is False or reason in MONEY_ONLY_REASONS:
        return CaseType.refund_only
    wish = stated_wish(text)
    if reason is Reason.seven_day_no_reason:
        return wish if wish in SEVEN_DAY_TYPES else CaseType.return_and_refund
    return wish or DEFAULT_CASE_TYPE[reason]


# --- priority ------------------------------------------------------------------------------------

SAFETY = re.compile(
    r"起火|着火|冒烟|冒火|爆炸|炸了|自燃|漏电|触电|电到|烫伤|烧伤|烧焦|受伤|割伤|划伤手|流血|过敏|红肿|中毒|"
    r"误食|吞了|窒息|送医|住院|医院|急诊|有毒|甲醛超标|发霉|霉变|变质|吃坏|拉肚子|食物中毒|"
    r"\bfire\b|\bsmok(e|ing)\b|\bexplod|\bshock(ed)?\b|\bburn(ed|t|s)?\b|\binjur|\bbleed|\ballerg|"
    r"\bpoison|\bhospital|\bchok(e|ing)\b|\btoxic\b|\bmou?ldy?\b|\bspoiled\b|\brash\b"
)
LEGAL = re.compile(
    r"12315|消协|消费者协会|工商|市场监管|报警|派出所|起诉|律师|法院|曝光|媒体|记者|微博上|"
    r"\blawyer|\bsue\b|\bcourt\b|\bpolice\b|\bconsumer (council|association|protection)\b|\bregulator|\bpress\b"
)
REPEATED = re.compile(
    r"第[二三四五六七八九十几两2-9]次|又一次|再次|多次|好几次|几次了|催了|一直没人|没人回|没人理|不回复|"
    r"\bagain\b|\b(second|third|fourth|fifth|\d+(st|nd|rd|th)) time\b|\bseveral times\b|\brepeatedly\b|"
    r"\bstill no\b|\bno one (answers|replies|replied|responds)\b|\bnobody (answers|replies|responds)\b"
)
DISTRESS = re.compile(r"情绪激动|情绪很激动|非常生气|气死|崩溃|\bfurious\b|\boutraged\b")
AMOUNT = re.compile(r"(?:[¥￥]\s*(\d+(?:\.\d+)?))|(?:(\d+(?:\.\d+)?)\s*(?:元|块钱|块|rmb\b|yuan\b|cny\b))")

BUYER_SIDE_REASONS = frozenset({Reason.ordered_by_mistake, Reason.no_longer_wanted, Reason.seven_day_no_reason})


def amount_in_text_fen(text: str) -> int:
    """The largest sum of money written in the text (¥2999, 3000元, 500块, 1200 rmb), in fen."""
    best = 0
    for match in AMOUNT.finditer(text):
        value = match.group(1) or match.group(2)
        yuan, _, cents = value.partition(".")
        if len(yuan) > 9:
            continue
        best = max(best, int(yuan) * 100 + int((cents + "00")[:2]))
    return best


def priority_for(
    text: str, reason: Reason, confidence: float, *, amount_fen: int | None = None
) -> tuple[Priority, tuple[Signal, ...]]:
    """The priority and the signals behind it (see the module doc for the rules)."""
    signals: list[Signal] = []
    if SAFETY.search(text):
        signals.append(Signal.safety_hazard)
    if reason is Reason.counterfeit and confidence >= UNSURE_BELOW:
        signals.append(Signal.counterfeit_claim)
    if LEGAL.search(text):
        signals.append(Signal.legal_threat)
    if REPEATED.search(text):
        signals.append(Signal.repeated_contact)
    if max(amount_fen or 0, amount_in_text_fen(text)) >= LARGE_AMOUNT_FEN:
        signals.append(Signal.large_amount)
    if DISTRESS.search(text):
        signals.append(Signal.buyer_distress)
    if not signals:
        if confidence < UNSURE_BELOW:
            signals.append(Signal.unsure_reason)
        elif reason in BUYER_SIDE_REASONS:
            signals.append(Signal.buyer_side_reason)
    priority = min((SIGNAL_PRIORITY[s] for s in signals), key=lambda p: p.rank, default=Priority.normal)
    return priority, tuple(signals)
