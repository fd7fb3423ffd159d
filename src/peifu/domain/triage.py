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
    no_after_sale_reason = "no_after_sale_reason"  # venting or an opinion: a person reads it, no reason is forced


SIGNAL_PRIORITY: dict[Signal, Priority] = {
    Signal.safety_hazard: Priority.urgent,
    Signal.counterfeit_claim: Priority.urgent,
    Signal.legal_threat: Priority.urgent,
    Signal.repeated_contact: Priority.high,
    Signal.large_amount: Priority.high,
    Signal.buyer_distress: Priority.high,
    Signal.buyer_side_reason: Priority.low,
    Signal.unsure_reason: Priority.normal,
    Signal.no_after_sale_reason: Priority.normal,
}


class SubReason(StrEnum):
    """Finer kinds of complaint that real buyers keep naming, each mapped to the one reason of record
    that carries its policy (liability, eligibility, shipping, compensation, metrics). The decisions,
    with the Taobao/Tmall and JD reasons they follow, are in docs/reasons.md and the glossary."""

    used_or_refurbished = "used_or_refurbished"  # 二手/翻新/别人退回的 sold as new → not_as_described
    gift_or_accessory = "gift_or_accessory"  # 赠品/配件未收到 → missing_items
    spoiled_or_expired = "spoiled_or_expired"  # 坏果/发霉/变质/过期/临期 → quality_problem
    courier_after_dispatch = "courier_after_dispatch"  # 物流丢件/显示签收未收到 → not_received
    price_protection = "price_protection"  # 降价/价保/退差价 → other (a partial_refund of the difference)
    size_fit = "size_fit"  # 尺码不准/与尺码表不符 → not_as_described (买错尺码 is ordered_by_mistake)


SUB_REASON_OF: dict[SubReason, Reason] = {
    SubReason.used_or_refurbished: Reason.not_as_described,
    SubReason.gift_or_accessory: Reason.missing_items,
    SubReason.spoiled_or_expired: Reason.quality_problem,
    SubReason.courier_after_dispatch: Reason.not_received,
    SubReason.price_protection: Reason.other,
    SubReason.size_fit: Reason.not_as_described,
}
"""Every sub-reason's reason of record (a request is opened, decided and ruled under that reason)."""


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
    sub_reason: SubReason | None = None  # the finer kind of complaint, when a decisive phrase names it
    for_person: bool = False  # unsure, or no after-sale reason: a person decides, nothing is forced


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


SUB_REASON_CASE_TYPE: dict[str, CaseType] = {
    # perishables are not sent back: 坏果/变质 is refunded (in full or in part) without a return
    "spoiled_or_expired": CaseType.refund_only,
    # 价保: the difference is refunded, the goods stay
    "price_protection": CaseType.partial_refund,
    # a missing gift or accessory is sent (补发); a used or refurbished unit goes back
    "gift_or_accessory": CaseType.reship,
}


def suggest_case_type(
    text: str, reason: Reason, *, goods_sent: bool | None = None, sub_reason: str | None = None
) -> CaseType:
    """The case type to suggest: the buyer's stated wish when the rules allow it for the reason,
    else the sub-reason's or the reason's usual remedy. `goods_sent=False` (the order has not
    shipped) leaves only refund_only, as domain.eligibility does."""
    if goods_sent is False or reason in MONEY_ONLY_REASONS:
        return CaseType.refund_only
    wish = stated_wish(text)
    if reason is Reason.seven_day_no_reason:
        return wish if wish in SEVEN_DAY_TYPES else CaseType.return_and_refund
    return wish or SUB_REASON_CASE_TYPE.get(sub_reason or "") or DEFAULT_CASE_TYPE[reason]


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
    text: str,
    reason: Reason,
    confidence: float,
    *,
    amount_fen: int | None = None,
    for_person: bool | None = None,
    no_reason: bool = False,
) -> tuple[Priority, tuple[Signal, ...]]:
    """The priority and the signals behind it (see the module doc for the rules)."""
    signals: list[Signal] = []
    if SAFETY.search(text):
        signals.append(Signal.safety_hazard)
    unsure = confidence < UNSURE_BELOW if for_person is None else for_person
    if reason is Reason.counterfeit and not unsure:
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
        if unsure:
            signals.append(Signal.no_after_sale_reason if no_reason else Signal.unsure_reason)
        elif reason in BUYER_SIDE_REASONS:
            signals.append(Signal.buyer_side_reason)
    priority = min((SIGNAL_PRIORITY[s] for s in signals), key=lambda p: p.rank, default=Priority.normal)
    return priority, tuple(signals)


# --- decisive phrases ----------------------------------------------------------------------------
# Phrases that name a reason outright (发错, 赠品没有, 显示签收没收到, 漏了, 假货 …). Real reviews mix a
# decisive complaint with venting (差评, 物流慢, 客服差) that a bag-of-words model weighs as much;
# these rules pick the complaint out. They are checked in order, the most specific first (赠品没收到
# before 没收到; 没收到发票 is never not_received), and each may name a sub-reason; the goods' own
# problems come before the shop's slow shipping, a price drop or a fee, and an invoice complaint comes
# last, so that a goods problem in the same text carries the request (衣服偏小、发货慢 → the size).
# A phrase that is negated or doubted (不知道是不是假的, 是不是翻新的) is not decisive: the model weighs
# it with the rest.


DECISIVE: tuple[tuple[Reason, SubReason | None, re.Pattern[str]], ...] = (
    (
        Reason.missing_items,
        SubReason.gift_or_accessory,
        re.compile(
            r"赠品[^,，。!！?？]{0,10}(没|未|呢|哪|不见|少|缺|漏)|(没|未|不|无)[^,，。!！?？]{0,8}赠品|说好(的)?送|(没有|没|并没有|未)赠送|(说|写|显示|承诺|页面|宣传|活动)[^,，。!！?？]{0,8}(送|赠)[^。!！?？]{0,12}(没|未|不见|不送|没有|不给)|"
            r"买一送一[^,，。]{0,10}(没|只)|满\d+[^,，。]{0,4}送|送的[^,，。!！?？]{0,6}(没|不见)|配件不全|少(了|发了)?(一颗|一个|几颗)?(螺丝|配件)|"
            r"(赠送|送)我?的[^,，。!！?？]{1,6}呢(?![?？!！,，.。\s]{0,3}(很|挺|还|也))|有赠品[^。!！?？]{0,12}(根本)?就?(没有|没收到|没见)|"
            r"(?<!标配)(没有|没给|没送|没发|没配)配?(耳机|充电器|充电头|数据线|卡针|取卡针|配针|说明书|保护壳|手机壳|壳子|试用装|小样)|"
            r"(连个?|竟然连|说好的?|说的|不是说)[^,，。]{0,4}(耳机|充电器|充电头|数据线|卡针|配针|说明书|保护壳|保护套|手机壳|壳子|试用装|小样|螺丝|配件)"
            r"([^,，。]{0,2}(都|也)没有|呢)|"
            r"(试用装|小样)[^,，。]{0,4}没(有)?(给|发|送)|"
            r"\b(free )?gift\b|\bfreebie\b|\baccessor(y|ies) (is |are |was |were )?missing\b|\bmissing (the |a )?(charger|cable|case|accessor)"
        ),
    ),
    (
        Reason.missing_items,
        None,
        re.compile(
            r"少发|漏发|少寄|漏寄|缺件|少件|少了[一两二三1-9](袋|瓶|盒|个|件|本|包|条|箱|双|支|罐)|(收到|到手)[^,，。!！?？]{0,3}(确|却|竟然|居然)没有|只(收到|到|来)了?[一二两三四1-9][^,，。]{0,3}(件|个|本|盒|瓶|条)|"
            r"只(发来?|寄来?)了?[一二两三四五1-9][^,，。]{0,3}(件|个|本|盒|瓶|条|双|袋|包)|"
            r"[一二两三四五六七八九十\d]+个[^,，。!！?？]{0,4}只?给了?我?[一二两三四五六七八九十\d]+个|"
            r"[一二两三四五六1-9](件|个|本|盒|瓶|条)[^,，。]{0,4}只(收到|到|来)了?|\bonly \d+ of\b|\bitems? (is |are )?missing\b"
        ),
    ),
    (
        Reason.wrong_item,
        None,
        re.compile(
            r"(?<!地址给我)(?<!地址)发错(?!快递|地址|了地址)|错发|寄错|送错(?!地址|了地址)|(与|和|跟)订单不(符|一样)|发成了?|寄成了?|(买|拍|要|订|选|下单)的?是?[^,，。!！?？]{0,10}(色|码|款|号|型)[^,，。!！?？]{0,6}"
            r"(发|寄|给)(了|来|成|个|的是)?[^,，。!！?？]{0,8}(色|码|款|号|型)|"
            r"(买|拍|下单|订)的(是|时候是)[^,，。!！?？]{1,8}[,，]?(却|结果|但是?|怎么|为什么)?(给我|给)?(发|寄)(了|来|过来|成)|\bwrong (item|size|colou?r|model) (was )?sent\b|"
            r"(要|买|拍|订|定|选)的是?[^,，。!！?？]{1,8}[,，]?(结果|却|但是?|怎么)?(给我)?(发|寄|送)(的|了|来)(都是|是|成)|"
            r"(要|买|拍|订|定|选)的[^,，。!！?？]{0,3}(跟|和|与)(发|寄|送)(的|来的)[^,，。!！?？]{0,2}不(一样|同|符)|"
            r"明明是[^,，。!！?？]{1,8}[,，]?(结果|却|怎么)?[^,，。!！?？]{0,4}(发|寄|到手|收到)的(是|却是)|(搞|弄)错了?[一两\d]?(件|个|款|色|码)|"
            r"(要|选|买|拍)的?[a-z0-9]{1,4}(码|号)?[^,，。]{0,3}(给我)?(发|寄)了?[a-z0-9]{1,4}|"
            r"\bsent (me )?the wrong\b|\b(got|received) (a |the )?(different|wrong)\b"
        ),
    ),
    (
        Reason.ordered_by_mistake,
        None,
        re.compile(
            r"买错|拍错|下错|选错|点错|看错|误拍|重复下单|手滑|\bby mistake\b|\bby accident\b|\bmy (mistake|fault)\b"
        ),
    ),
    (
        Reason.out_of_stock,
        None,
        re.compile(
            r"缺货|断货|没货了|没有货了|无货|没库存|库存不足|砍单|(订单|单)[^,，。]{0,4}被[^,，。]{0,4}取消|"
            r"(无故|擅自|直接|给我|自动|后台|卖家|商家|系统)[^,，。]{0,4}取消|\bout of stock\b|\b(they|seller) cancell?ed\b"
        ),
    ),
    (
        Reason.not_received,
        SubReason.courier_after_dispatch,
        re.compile(
            r"(显示|已经?|被人?|被别人)签收[^。!！?？]{0,12}(没|未)(收到|拿到|见到)|(没|未)(收到|拿到)[^。!！?？]{0,12}(显示|就)[^,，。]{0,3}签收|"
            r"被(别人|人)签收|丢件|(说|查)(没|无)(有)?(这个|此)件|包裹丢|快递丢|(件|货|包裹)[^,，。]{0,3}丢了|\b(marked|shows?) (as )?(delivered|signed)\b|\bparcel (is |was )?lost\b"
        ),
    ),
    (
        Reason.not_received,
        None,
        re.compile(
            r"(还|都|一直|至今|到现在)[^,，。!！?？]{0,6}(没|未)(有)?(收到|到货|拿到)(?![^,，。]{0,4}发票)|(没|未)(有)?收到(货|书|东西|包裹|快递)|收不到(?![^,，。]{0,4}发票)|"
            r"\bnever (got|received|arrived|came)\b|\b(still )?(not|hasn'?t|haven'?t) (been )?(received|arrived)\b"
        ),
    ),
    (
        Reason.counterfeit,
        None,
        re.compile(
            r"买到[*]货|歪货|假(酒|烟|药|表|鞋|包)(?![装])|走私(品|货)|产品不正(?!常|规|确)|"
            r"(?<!不知道是不是)(?<!不知道是)(?<!是不是)(?<!怀疑是不是)(假货|假的|假冒|山寨|高仿|仿品|盗版|水货|贴牌|a货)|"
            r"(?<!是)不是正品|非正品|不像(真|正)品|不是真(的|货)|防伪[^,，。]{0,6}(查不到|不对|没有)|\bfake\b|\bcounterfeit\b|\bknock-?off\b|"
            r"\bnot (genuine|authentic)\b|\bpirated\b"
        ),
    ),
    (
        Reason.not_as_described,
        SubReason.used_or_refurbished,
        re.compile(
            r"二手|2手|翻新|过保|旧机|(别人|被人)(用过|穿过|退回|退货)|用过的|穿过的|以前的东西|很旧的|不是新(机|的)|不是全新|不像(是)?全?新(?!鲜)|使用痕迹|激活过|旧货|库存老货|陈货|\bused\b|\brefurbished\b|"
            r"\bsecond-?hand\b|\bsomeone'?s return\b"
        ),
    ),
    (
        Reason.damaged,
        None,
        re.compile(
            r"(盒子|箱子|外包装|包装盒|外箱|瓶子|瓶身|瓶盖)[^,，。]{0,4}(是)?(坏|破|烂|裂)的?|(摔|撞)过|带伤|漏了|漏液|漏出|漏得|漏的|撒了|洒了|洒出|撒出|流出来|碎了|破碎|压坏|压扁|压碎|压烂|摔坏|摔烂|摔碎|碰坏|碰烂|碰伤|磕坏|磕碰|挤压|"
            r"破损|(运输|途中|路上|快递)[^,，。!！?？]{0,4}(损坏|弄坏|坏了)|裂了|裂开|划痕|磕痕|凹痕|凹槽|凹陷|包装[^,，。没无未不]{0,6}(破|烂|坏|开了)|冻坏|冻了|书皮[^,，。]{0,3}(折|皱|破)|污渍|脏点|"
            r"\bsmashed\b|\bcrushed\b|\bleak(ed|ing)\b|\bshattered\b|\bdented\b|\bscratch(ed|es)\b|\barrived (broken|damaged|cracked)\b"
        ),
    ),
    # an amount below the listing (weight, volume, size, capacity) before a spoiled fruit beside it
    (
        Reason.not_as_described,
        None,
        re.compile(
            r"(根本|压根|都|还|远远)?(没有|不到|没到|不足|达不到)\d+(\.\d+)?([-~]\d+)?(g|克|kg|千克|公斤|mm|cm|厘米|斤|ml|毫升|升|mah|毫安)"
            r"(?![a-z])|达不到\d+小时|(只有|只装了?|才|就是|就)一?半瓶|(斤数|克数|毫升数)不(够|足)|"
            r"\bonly half (full|a bottle|the bottle)\b|\b(only|barely) \d+(\.\d+)? ?(g|grams?|ml|kg)\b(?! (more|extra))"
        ),
    ),
    (
        Reason.quality_problem,
        SubReason.spoiled_or_expired,
        re.compile(
            r"发霉|霉变|霉点|霉斑|烂皮|蔫了|怏了|不(是|太|怎么)(很)?新鲜|长毛|腐烂|烂了|烂的|坏了[一二两三四五六\d]个|[一二两三四五六\d]个[^,，。]{0,3}坏|坏果|烂果|变质|变味|馊|黑心了|都黑心|出现黑心|黑芯|"
            r"坏的?(苹果|水果|果子|橙子|桔子|橘子|梨|桃子)|(都|全|好多|有些|小)烂(?!了|的)|烂成|烂掉|皱皮|干瘪|(都|全|基本都)干了|(都|有点)软了|"
            r"不新鲜|过期|临期|\bmou?ldy\b|\brotten\b|\bgone off\b|\bspoiled\b|\bexpired\b|\bexpiry\b"
        ),
    ),
    (
        Reason.not_as_described,
        SubReason.size_fit,
        re.compile(
            r"尺码[^,，。]{0,4}(不对|不准|不标准|偏小|偏大|不符)|码(数|子)?[^,，。]{0,2}(不对|不准|不标准|偏小|偏大)|尺寸不(对|符|一)|"
            r"(偏小|偏大)[一两二\d]?个?码|(号|码)(子|数)?[^,，。!！?？]{0,2}(太|偏|有点|有些|稍|稍微|明显)?(小|大)(了|很多|太多|一)|"
            r"(就是|有点|有些|稍微)(小|大)了|(衣服|裤子|鞋子?|裙子|外套|上衣)[^,，。!！?？]{0,3}(偏|太|有点)(小|大)|(小|大)了(一|两|二)(号|码|个码)|"
            r"(穿上|穿起来|穿着|上身)[^,，。!！?？]{0,3}(特别|太|很|有点|明显|偏|好)(小|大|紧|瘦|肥)(?!方|气|衣|器)|"
            r"(裤腿|裤子|裤腰|腰围|袖子|袖口|裤裆|领口|衣服)[^,，。!！?？]{0,2}(太|偏|好|有点)(瘦|紧|肥|窄)|修身[^。!！?？]{0,10}(宽松|肥大)|"
            r"尺寸[^,，。!！?？]{0,3}(偏小|偏大|不合适|相差)|尺码不合适|(?<![字编型账])(号|码)(子|数)?(太|偏|有点|明显)(小|大)(?![小大方家概部])|号不(对|准)|"
            r"(?<![a-z])[smlx]{1,3}码[^,，。]{0,3}(都|也|还)?(很|太|特别|偏|有点)(大|小)|\d{2,3}(的人)?(应该|得|要)(买|穿|拍|下|选)\d{2,3}|\bsize chart\b|\bruns? (small|large|big)\b|\b(too|way too) (small|tight|big|large)\b"
        ),
    ),
    (
        Reason.not_as_described,
        None,
        re.compile(
            r"货不对板|虚假宣传|(说好的|说是|不是说|宣传的?|写着|标着|标的)[^,，。!！?？没未]{1,10}[,，]?(结果|实际|其实|却|穿起来|用起来|怎么|到手|收到)|(与|和|跟)[^,，。]{0,6}宣传[^,，。]{0,4}不(符|一样)|图片骗|描述不符|与描述|和描述|跟描述|不符合描述|图片不符|与图片|和图片|跟图片|实物[^,，。]{0,6}(不符|差|不一样)|(?<!无)(?<!没)(?<!没有)色差|颜色不(对|符)|颜色[^,，。!！?？]{0,2}(差异|偏差|也?不对)|"
            r"(说好的?|说的|不是说|写的|标的|宣传的)(?![^,，。!！?？]{0,10}(送|赠|京豆|返|活动|双|券|评|价|到|发货))[^,，。!！?？]{1,10}呢"
            r"(?![?？!！,，.。\s]{0,3}(箱子|盒子|包裹|里面|没|怎么没|也没|影子))|"
            r"(图片|照片|网上|页面|宣传图|详情页?)[^,，。!！?？]{0,3}(与|和|跟)(实物|收到的|到手的)|"
            r"(跟|和|与)(网上|页面|详情页?|宣传)的?[^,，。!！?？]{0,4}(差(好多|很多|太多|得多|别|距)|不(一样|符|像))|"
            r"挂羊头卖狗肉|(分量|重量)不(足|够)|缺斤少两|没有[^,，。]{0,4}(斤|ml|毫升|克)(?=[,，。!！?？\s]|$)|\bnot as described\b|\bnothing like the (photo|picture|listing)s?\b|"
            r"\bdoes ?n[o']t match the (listing|description|photos?)\b"
        ),
    ),
    (
        Reason.quality_problem,
        None,
        re.compile(
            r"坏了|坏的|坏掉|死机|黑屏|闪退|卡死|太卡|卡得|卡的要死|开不了机|开不开机|充不进|不能充电|掉色|褪色|脱色|起球|开线|脱线|开胶|开裆|"
            r"质量(太|很|真|超|非常|也太|也|也很|真的|实在|特别)?(差|烂|不好|不行|垃圾)|质量问题|做工(太|很)?粗糙|失灵|不灵敏|接触不良|漏光|白屏|起线头|(带|有|破了?个?)(小)?洞|没(有)?声音|"
            r"(?<!是)次品|残次|(布料|面料|料子|布|做工|缝合|用料)[^,，。!！?？]{0,3}(太|很|真|超|非常|也太|也|特别|好)?(差|烂|粗糙)|粘毛|掉毛|起毛|"
            r"(?<![能到得])透光|掉线|不亮了?|抽丝|坏道|翘起|翘边|(屏|屏幕)[^,，。!！?？]{0,3}闪|(找|搜)不到(网络|信号)|[一二两三几\d]个?小?洞|"
            r"(好|太|很)差的(布料|面料|料子)|(身上|皮肤|手|衣服)[^,，。!！?？]{0,3}染(黑|蓝|色)|"
            r"\bstopped working\b|\bbroke(n)?\b|\bdefective\b|\bfaulty\b|\bwon'?t (turn on|charge)\b"
        ),
    ),
    (
        Reason.late_shipment,
        None,
        re.compile(
            r"(单子|订单)[^,，。]{0,6}(还|都)?没(打印|出库)|发货(太|真|超|很|特别|也太|速度)?慢|(还|都|一直|迟迟|至今)[^,，。!！?？]{0,6}(不|没|未)发货|不发货|[^已]没发货|才发货|延迟发货|出库[^,，。!！?？]{0,6}(\d+|[一二三四五六七八九十几两]+)天|"
            r"(几|[一二三四五六七八九十\d]+)天[^,，。]{0,3}才发(?!现|觉|票)|待发货|\bnot (yet )?(shipped|dispatched)\b|\bhasn'?t (shipped|dispatched)\b"
        ),
    ),
    (
        Reason.other,
        None,
        re.compile(
            r"还我运费|(运费|邮费)[^,，。!！?？]{0,6}(没|不|还没)(退|还|给|报销)|换货[^。!！?？]{0,30}(运费|邮费|送货费)|(自负|自付|白花|白出)邮费|"
            r"(退款|退货|退钱)[^。!！?？]{0,12}(一直|还|都)(没|未)(有)?(反应|退|到账|成功|处理|回复)|说好了?[^,，。]{0,3}(给)?(换|退)[^。!！?？]{0,12}(没有|没|不)(换|退)|拒收[^,，。]{0,6}(收取|收|扣)[^,，。]{0,3}\d+|"
            r"(领不到|用不了|不能用|不可以用)[^,，。!！?？]{0,2}(券|优惠券)|(券|优惠券|会员卡)[^,，。!！?？]{0,4}(用不了|不能用|不可以用|领不到)|"
            r"\b(return|exchange) shipping (fee|cost)s? (was |were )?(not|never) (refunded|paid back)\b"
        ),
    ),
    (
        Reason.other,
        SubReason.price_protection,
        re.compile(
            r"降价|掉价|降了|又降|降[*\d]|价[^,，。!！?？]{0,2}降|涨价|比平时(还)?贵|价保|保价|价格保护|退差价|差价|便宜了|买贵了|(反而|还)贵了|标错价|"
            r"(今天|下午|晚上|这两天|现在|第二天|隔天|过两天|没两天|转眼)[^,，。!！?？]{0,3}就(变成|成了|只要|卖|降到|剩)?[¥￥]?\d+(\.\d+)?(块|元)?多?了|"
            r"(才|刚)(过|买)[^,，。!！?？]{0,6}就?便宜|"
            r"(现在|今天|第二天|隔天|过两天|没几天|刚买完?)[^,，。!！?？]{0,8}(卖|买|只要|降)(价|了|到)?[¥￥]?\d+(?![\d年月号])|\bprice (drop|dropped|protection)\b|\bcheaper\b"
        ),
    ),
    (
        Reason.invoice_problem,
        None,
        re.compile(
            r"(没|未|不给|不开|不能开|拒绝开|不提供)[^,，。!！?？]{0,6}发票|发票[^,，。!！?？]{0,8}(没|未|不给|错|要钱|收费|加钱|税点|不对)|"
            r"(补|开)发票[^,，。!！?？]{0,6}(要钱|收费|加钱|税点)|\b(no|missing|wrong) (invoice|receipt)\b|\binvoice\b"
        ),
    ),
)


HYPOTHETICAL = re.compile(
    r"(不怕|万一|要是|如果|假如|若是|以免|担心|差点|会不会|怕|是不是|怀疑是不是)[^,，。!！?？;；]{0,8}$"
)
"""A phrase in a clause that only imagines it (不怕摔坏？ 要是途中摔坏了，我找谁) decides nothing."""
TITLE = re.compile(r"《[^》]{0,60}$")
"""A phrase inside a title (《…回应过期奶…》: a news headline quoted in a rant) decides nothing."""


AFTER_USE = re.compile(
    r"(用了|才用|没用几天|用几天|用了几天|穿了|收到第[二三四五2-5]天|买了[^,，。]{0,3}天|质量问题|摔下|掉地上|不小心"
    r"|才[0-9一二两三四五六七八九十几]{1,2}天|没[几两]天|穿了第|洗了[一两几\d]次|刚用|用第[一二三1-3]天|摔了一下|掉了一下)[^。!！?？]{0,14}$"
)
"""Damage that came with use or the buyer's own fall (没用几天，屏幕就破碎; 收到第二天摔下，屏幕就碎了;
质量问题（内屏破损）; sixth round, the guide's own cases: 才几天…就裂了, 刚用…摔了一下) is no transit damage: the damage phrase decides nothing, the goods' fault is read on."""


FAKE_DOUBTED = re.compile(r"怀疑[^,，。!！?？;；]{0,6}$")
"""The guide: 怀疑是假货 is a doubt, not a counterfeit claim (估计/可能买到假货 is one)."""
FAKE_ASKED = re.compile(r"^[吗么嘛?？]")
"""假货么？ 是假的吗？ 假的？ — a question, not a claim."""
FAKE_PROMISE = re.compile(
    r"(价格保护|价保|保价|无理由|退换|服务|售后|活动|优惠|折扣|好评|评价|评论|承诺)[^,，。!！?？;；]{0,6}$"
)
"""假的 said of a promise, a price or the reviews (价格保护就是假的, 七天无理由都是假的), not of the goods."""
INVOICE_BEFORE = re.compile(r"发票[^,，。!！?？;；]{0,8}$")
"""发票到现在还没收到: the invoice not received, not the parcel (never `not_received`)."""


def fires(pattern: re.Pattern[str], text: str, reason: Reason | None = None) -> bool:
    """The pattern names its reason in the text: a match that is not imagined or inside a title
    (and, for `damaged`, not damage that came with use; for `counterfeit`, not a doubt, a question or
    a promise called false)."""
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        if HYPOTHETICAL.search(before[-10:]) or TITLE.search(before):
            continue
        if reason is Reason.damaged and AFTER_USE.search(before[-20:]):
            continue
        if reason is Reason.not_received and INVOICE_BEFORE.search(before[-10:]):
            continue
        if reason is Reason.counterfeit and (
            FAKE_DOUBTED.search(before[-10:])
            or FAKE_ASKED.search(text[match.end() : match.end() + 2])
            or FAKE_PROMISE.search(before[-12:])
        ):
            continue
        return True
    return False


def decisive_reason(text: str) -> tuple[Reason, SubReason | None] | None:
    """The first decisive phrase in a normalised text, with its reason and sub-reason."""
    for reason, sub, pattern in DECISIVE:
        if fires(pattern, text, reason):
            return reason, sub
    return None


def sub_reason_for(text: str, reason: Reason) -> SubReason | None:
    """The sub-reason a normalised text names for the given reason, if any."""
    for rule_reason, sub, pattern in DECISIVE:
        if sub is not None and rule_reason is reason and fires(pattern, text, rule_reason):
            return sub
    return None
