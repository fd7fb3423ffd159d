"""The policy in plain words, in Chinese and English, for the public disclosure page and API.

Platforms must disclose their compensation standards before a dispute; this turns every number
of the policy in force into a sentence people can read, next to its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peifu.domain.money import format_yuan
from peifu.domain.policy import Policy

# key → (section, zh template, en template). {v} is the value; {yuan} the value as money.
SENTENCES: dict[str, tuple[str, str, str]] = {
    "order.ship_deadline_hours": (
        "发货 Shipping",
        "卖家须在买家付款后 {v} 小时内发货。",
        "Sellers ship within {v} hours of payment.",
    ),
    "order.promotion_ship_deadline_hours": (
        "发货 Shipping",
        "官方活动（如聚划算）订单须在 {v} 小时内发货。",
        "Orders in official promotions ship within {v} hours.",
    ),
    "order.auto_confirm_days": (
        "发货 Shipping",
        "卖家发货 {v} 天后系统自动确认收货。",
        "Receipt is confirmed automatically {v} days after shipment.",
    ),
    "order.auto_confirm_min_days_after_case": (
        "发货 Shipping",
        "售后结束时如自动确认收货剩余不足 {v} 天，延长至 {v} 天。",
        "When an after-sale request ends, the buyer keeps at least {v} days before auto-confirmation.",
    ),
    "windows.post_trade_days": (
        "售后期限 Windows",
        "交易成功后 {v} 天内可申请售后。",
        "After-sale requests are possible for {v} days after the trade completes.",
    ),
    "windows.seven_day_no_reason_days": (
        "售后期限 Windows",
        "签收后 {v} 天内可申请七天无理由退换货。",
        "Returns without a reason are possible for {v} days after receipt.",
    ),
    "windows.seven_day_excluded_flags": (
        "售后期限 Windows",
        "以下商品不适用七天无理由：{v}。",
        "Not returnable without a reason: {v}.",
    ),
    "windows.escalation_after_hours": (
        "售后期限 Windows",
        "申请售后 {v} 小时后，或卖家拒绝后，可申请小二介入。",
        "Platform intervention may be requested {v} hours after the request, or right after a refusal.",
    ),
    "deadlines.seller_response_hours": (
        "超时规则 Timeouts",
        "卖家 {v} 小时内未处理退款申请，视为同意。",
        "A seller silent for {v} hours is deemed to agree.",
    ),
    "deadlines.buyer_ship_return_days": (
        "超时规则 Timeouts",
        "卖家同意退货后，买家 {v} 天内未退货，退款关闭。",
        "A buyer who does not ship the return within {v} days closes the request.",
    ),
    "deadlines.seller_confirm_return_days_after_shipped": (
        "超时规则 Timeouts",
        "买家退货后卖家 {v} 天内未确认收货，系统自动退款。",
        "A seller who does not confirm the return within {v} days of its shipment is refunded against automatically.",
    ),
    "deadlines.seller_confirm_return_days_after_signed": (
        "超时规则 Timeouts",
        "退货签收后卖家 {v} 天内未确认，系统自动退款（以先到者为准）。",
        "Or {v} days after the return is signed for, whichever comes first.",
    ),
    "deadlines.buyer_response_days": (
        "超时规则 Timeouts",
        "卖家拒绝或提出方案后，买家 {v} 天内未处理，申请关闭。",
        "After a refusal or proposal the buyer has {v} days to respond, else the request closes.",
    ),
    "deadlines.seller_ship_replacement_days": (
        "超时规则 Timeouts",
        "卖家 {v} 天内未发出换货/维修/补发商品，平台介入。",
        "A seller who does not ship the replacement within {v} days is taken to intervention.",
    ),
    "deadlines.buyer_confirm_replacement_days": (
        "超时规则 Timeouts",
        "卖家发出后 {v} 天买家未确认，视为收到。",
        "A replacement is deemed received {v} days after it ships.",
    ),
    "deadlines.evidence_days": (
        "介入 Intervention",
        "小二介入后，双方须在 {v} 天内举证。",
        "Parties submit evidence within {v} days of intervention.",
    ),
    "deadlines.appeal_days": (
        "介入 Intervention",
        "判定后 {v} 天内可申诉一次。",
        "A ruling may be appealed once within {v} days.",
    ),
    "compensation.late_shipment.percent": (
        "赔付标准 Compensation",
        "未按约定时间发货：赔付商品实付价的 {v}%。",
        "Late shipment: {v}% of the line's paid price.",
    ),
    "compensation.late_shipment.cap_fen": (
        "赔付标准 Compensation",
        "延迟发货赔付每件最高 {yuan}。",
        "Late shipment compensation is at most {yuan} per line.",
    ),
    "compensation.late_shipment.payout_method": (
        "赔付标准 Compensation",
        "延迟发货赔付方式：{v}。",
        "Late shipment is paid as: {v}.",
    ),
    "compensation.late_shipment.payer": (
        "赔付标准 Compensation",
        "延迟发货赔付由{v}承担。",
        "Late shipment compensation is charged to the {v}.",
    ),
    "compensation.late_shipment.findings": (
        "赔付标准 Compensation",
        "延迟发货的认定依据（小二判定之外）：{v}。",
        "Late shipment is found (besides an agent's ruling) by: {v}.",
    ),
    "compensation.out_of_stock.percent": (
        "赔付标准 Compensation",
        "卖家缺货：赔付商品实付价的 {v}%。",
        "Out of stock: {v}% of the line's paid price.",
    ),
    "compensation.out_of_stock.cap_fen": (
        "赔付标准 Compensation",
        "缺货赔付每件最高 {yuan}。",
        "Out-of-stock compensation is at most {yuan} per line.",
    ),
    "compensation.out_of_stock.payout_method": (
        "赔付标准 Compensation",
        "缺货赔付方式：{v}。",
        "Out of stock is paid as: {v}.",
    ),
    "compensation.out_of_stock.payer": (
        "赔付标准 Compensation",
        "缺货赔付由{v}承担。",
        "Out-of-stock compensation is charged to the {v}.",
    ),
    "compensation.out_of_stock.findings": (
        "赔付标准 Compensation",
        "缺货的认定依据（小二判定之外）：{v}；卖家未发货时方可认定。",
        "Out of stock is found (besides an agent's ruling) by: {v}; only while the order has not shipped.",
    ),
    "compensation.counterfeit.shop_multiple": (
        "赔付标准 Compensation",
        "承诺假一赔十的店铺：售假赔付商品价格的 {v} 倍（另退货款）。",
        "Shops promising it pay {v}× the price for counterfeits, on top of the refund.",
    ),
    "compensation.counterfeit.statutory_multiple": (
        "赔付标准 Compensation",
        "其他店铺按《消费者权益保护法》第五十五条：赔付价款的 {v} 倍。",
        "Other shops: Consumer Protection Law art. 55, {v}× the price.",
    ),
    "compensation.counterfeit.statutory_min_fen": (
        "赔付标准 Compensation",
        "上述赔偿不足 {yuan} 的，按 {yuan} 赔付。",
        "At least {yuan}.",
    ),
    "compensation.counterfeit.food_multiple": (
        "赔付标准 Compensation",
        "食品安全问题：赔付价款的 {v} 倍（《食品安全法》第一百四十八条）。",
        "Food safety: {v}× the price (Food Safety Law art. 148).",
    ),
    "compensation.counterfeit.food_min_fen": (
        "赔付标准 Compensation",
        "食品赔偿不足 {yuan} 的，按 {yuan} 赔付。",
        "At least {yuan} for food.",
    ),
    "compensation.counterfeit.payout_method": (
        "赔付标准 Compensation",
        "假货赔付方式：{v}。",
        "Counterfeit compensation is paid as: {v}.",
    ),
    "compensation.counterfeit.payer": (
        "赔付标准 Compensation",
        "假货赔付由{v}承担。",
        "Counterfeit compensation is charged to the {v}.",
    ),
    "compensation.counterfeit.findings": (
        "赔付标准 Compensation",
        "售假的认定依据（小二依据举证判定之外）：{v}；卖家同意退货退款不代表承认售假。",
        "Counterfeit is found (besides an agent's ruling on the evidence) by: {v}; agreeing to a refund is not "
        "admitting it.",
    ),
    "compensation.advance_compensation.reasons": (
        "赔付标准 Compensation",
        "以下情形平台先行赔付：{v}。",
        "The platform pays first for: {v}.",
    ),
    "compensation.advance_compensation.payout_method": (
        "赔付标准 Compensation",
        "先行赔付方式：{v}。",
        "Advance compensation is paid as: {v}.",
    ),
    "compensation.advance_compensation.payer": (
        "赔付标准 Compensation",
        "先行赔付由{v}垫付，再向卖家保证金追偿。",
        "Advance compensation is paid by the {v} and recovered from the seller's deposit.",
    ),
    "complaints.window_after_close_days": (
        "规则投诉 Complaints",
        "交易关闭后 {v} 天内可发起违背承诺投诉。",
        "Breach-of-promise complaints are possible for {v} days after the order closes.",
    ),
    "complaints.period_days": (
        "规则投诉 Complaints",
        "扣分按 {v} 天周期累计。",
        "Penalty points accumulate over {v} days.",
    ),
    "complaints.points.refused_to_sell": (
        "规则投诉 Complaints",
        "拒绝交易、关闭订单：每次扣 {v} 分。",
        "Refusing to sell or closing the order: {v} point(s).",
    ),
    "complaints.points.promise_not_honoured": (
        "规则投诉 Complaints",
        "未履行赠品、包邮等承诺：扣 {v} 分。",
        "Gift or shipping promise not honoured: {v} points.",
    ),
    "complaints.points.promotion_terms_not_honoured": (
        "规则投诉 Complaints",
        "未按官方活动要求服务：扣 {v} 分。",
        "Official promotion terms not honoured: {v} points.",
    ),
    "complaints.points.invoice_refused": (
        "规则投诉 Complaints",
        "拒绝开发票或转嫁税点运费：扣 {v} 分。",
        "Invoice refused or its costs pushed onto the buyer: {v} points.",
    ),
    "complaints.points.severe_mismatch": (
        "规则投诉 Complaints",
        "描述严重不符或无法正常使用：扣 {v} 分。",
        "Severe mismatch or unusable: {v} points.",
    ),
    "complaints.points.mismatch_affecting_use": (
        "规则投诉 Complaints",
        "描述不符且影响正常使用：扣 {v} 分。",
        "Mismatch affecting normal use: {v} points.",
    ),
    "complaints.points.mismatch_minor": (
        "规则投诉 Complaints",
        "描述不符但未实质影响使用：扣 {v} 分。",
        "Mismatch without real effect on use: {v} points.",
    ),
    "reminders.before_hours": (
        "超时规则 Timeouts",
        "任何到期自动执行的期限（默认同意、自动关闭、自动确认收货、举证期、申诉期）到期前 {v} 小时提醒当事方；期限不足其两倍时在一半时提醒。",
        "The parties are reminded {v} hours before any deadline that acts by itself (or half-way, when it is shorter than twice that).",
    ),
    "metrics.window_days": (
        "售后指标 Metrics",
        "售后指标按最近 {v} 天计算。",
        "After-sale metrics cover the last {v} days.",
    ),
    "metrics.category_flag_percentile": (
        "售后指标 Metrics",
        "指标差于同行业 {v}% 的店铺将被标记。",
        "Shops worse than {v}% of their category are flagged.",
    ),
    "metrics.rated_phases": (
        "售后指标 Metrics",
        "退款率与退款纠纷率计入的申请：{v}；另一类申请单独列示，不计入考核。",
        "The refund rate and the dispute rate count requests made: {v}; the other kind is shown apart, unrated.",
    ),
    # --- abuse signals (services.abuse) ---
    "abuse.window_days": (
        "滥用信号 Abuse signals",
        "滥用信号统计最近 {v} 天的订单与售后申请。",
        "Abuse signals look at the orders and requests of the last {v} days.",
    ),
    "abuse.refund_only_min_orders": (
        "滥用信号 Abuse signals",
        "买家至少 {v} 笔订单申请仅退款，才可能提示仅退款频繁。",
        "A buyer is flagged for frequent refund-only requests only with at least {v} such orders.",
    ),
    "abuse.refund_only_percent": (
        "滥用信号 Abuse signals",
        "买家申请仅退款的订单占其订单 {v}% 及以上时提示仅退款频繁。",
        "Refund-only requests on {v}% or more of a buyer's orders are flagged.",
    ),
    "abuse.reason_switch_min": (
        "滥用信号 Abuse signals",
        "卖家拒绝后买家改理由再申请达到 {v} 次时提示。",
        "A buyer who changes the reason after a seller's refusal {v} times is flagged.",
    ),
    "abuse.counterfeit_unproven_min": (
        "滥用信号 Abuse signals",
        "买家以假货为由申请且未提供有效凭证达到 {v} 笔时提示。",
        "A buyer with {v} counterfeit claims without valid proof is flagged.",
    ),
    "abuse.counterfeit_proof_kinds": (
        "滥用信号 Abuse signals",
        "假货申请的有效凭证：{v}。",
        "Valid proof for a counterfeit claim: {v}.",
    ),
    "abuse.quick_claim_hours": (
        "滥用信号 Abuse signals",
        "签收后 {v} 小时内申请售后视为签收即申请。",
        "A request within {v} hours of delivery counts as immediate.",
    ),
    "abuse.quick_claim_min_shops": (
        "滥用信号 Abuse signals",
        "买家在 {v} 家及以上店铺签收即申请售后时提示。",
        "A buyer who claims right after delivery at {v} or more shops is flagged.",
    ),
    "abuse.fake_shipping_silent_days": (
        "滥用信号 Abuse signals",
        "卖家发货后 {v} 天内无任何物流轨迹，视为疑似虚假发货。",
        "A parcel with no courier event {v} days after shipment counts as possibly fake shipping.",
    ),
    "abuse.fake_shipping_min_orders": (
        "滥用信号 Abuse signals",
        "店铺疑似虚假发货订单达到 {v} 笔时提示。",
        "A shop with {v} such parcels is flagged for fake shipping.",
    ),
    "abuse.late_shipment_min_orders": (
        "滥用信号 Abuse signals",
        "店铺至少 {v} 笔订单超时发货，才可能提示发货超时频繁。",
        "A shop is flagged for late shipments only with at least {v} late orders.",
    ),
    "abuse.late_shipment_percent": (
        "滥用信号 Abuse signals",
        "店铺超时发货订单占应发货订单 {v}% 及以上时提示。",
        "Late shipment of {v}% or more of a shop's orders due to ship is flagged.",
    ),
    "shipping.return_postage_case_types": (
        "运费 Shipping fees",
        "以下申请中买家寄回商品的运费按“谁过错，谁承担”结算（卖家过错由卖家承担，有运费险由保险承担）：{v}。",
        "On these requests the buyer's return postage is settled by fault (the seller for a seller-fault reason, "
        "shipping insurance where the order has it): {v}.",
    ),
    "intervention.counterfeit_refused_liable": (
        "介入 Intervention",
        "以假货为由申请、卖家拒绝退货且买家无有效凭证的：支持退货退款，责任方为{v}（计入纠纷率），不认定售假、不赔付假一赔十。",
        "A counterfeit claim the seller refused, without valid proof: return and refund, liable party {v} (counts in "
        "the dispute rate); no finding of counterfeit and no counterfeit compensation.",
    ),
    "intervention.appeal_correction_payer": (
        "介入 Intervention",
        "申诉改判后买家应得少于已付款项的：已付给买家的款项不追回，差额由{v}承担；应得更多的，差额立即支付。",
        "When an appeal gives the buyer less than was already paid, the buyer keeps it and the difference is borne "
        "by the {v}; when it gives more, the difference is paid at once.",
    ),
    "service_complaints.channels": (
        "售后投诉 Service complaints",
        "售后投诉渠道：{v}。",
        "Service complaints are taken by: {v}.",
    ),
    "service_complaints.categories": (
        "售后投诉 Service complaints",
        "投诉分类：{v}。",
        "Complaint classes: {v}.",
    ),
    "service_complaints.platform_answer_hours": (
        "售后投诉 Service complaints",
        "平台在 {v} 小时内回应投诉并分类登记（逾时系统按分诊结果自动登记）。",
        "The platform answers, classifies and registers a complaint within {v} hours (late: the engine registers "
        "it from the triage).",
    ),
    "service_complaints.forward_working_days": (
        "售后投诉 Service complaints",
        "平台在收到投诉后 {v} 个工作日内转达卖家（逾时系统自动转达）。",
        "The platform forwards it to the shop within {v} working days (late: the engine forwards it).",
    ),
    "service_complaints.shop_contact_working_days": (
        "售后投诉 Service complaints",
        "卖家收到投诉后 {v} 个工作日内联系买家，逾时转小二跟进并记录超时。",
        "The shop contacts the buyer within {v} working day(s) of receiving it; late: an agent takes over and "
        "the miss is recorded.",
    ),
    "service_complaints.shop_remedy_working_days": (
        "售后投诉 Service complaints",
        "卖家收到投诉后 {v} 个工作日内提出明确的处理方案，逾时转小二跟进并记录超时。",
        "The shop proposes a clear remedy within {v} working days of receiving it; late: an agent takes over.",
    ),
    "service_complaints.max_promise_working_days": (
        "售后投诉 Service complaints",
        "卖家承诺的处理时限最长 {v} 个工作日，逾期未反馈结果转小二跟进并记录超时。",
        "A shop may promise at most {v} working days to carry out its remedy; late: an agent takes over.",
    ),
    "service_complaints.satisfaction_working_days": (
        "售后投诉 Service complaints",
        "处理完毕后请买家在 {v} 个工作日内评价满意度，逾时投诉完结。",
        "The buyer is asked to rate within {v} working days; after that the complaint closes unrated.",
    ),
    "working_days.extra_days_off": (
        "工作日 Working days",
        "工作日按国家法定节假日和调休安排计算；平台补充的休息日：{v}。",
        "Working days follow China's public holidays and make-up days; days off added by the platform: {v}.",
    ),
    "working_days.extra_working_days": (
        "工作日 Working days",
        "平台补充的调休上班日：{v}。",
        "Make-up working days added by the platform: {v}.",
    ),
    "sub_reasons.used_or_refurbished": (
        "退款原因 Reasons",
        "二手、翻新或他人退回的商品当新品出售的，按“{v}”处理。",
        "Used, refurbished or returned goods sold as new are handled as {v}.",
    ),
    "sub_reasons.gift_or_accessory": (
        "退款原因 Reasons",
        "赠品或配件未收到的，按“{v}”处理。",
        "A missing gift or accessory is handled as {v}.",
    ),
    "sub_reasons.spoiled_or_expired": (
        "退款原因 Reasons",
        "腐烂变质、过期或临期（未披露）的，按“{v}”处理；鲜活易腐商品无需退回。",
        "Spoiled, expired or (undisclosed) near-expiry goods are handled as {v}; perishables need not be sent back.",
    ),
    "sub_reasons.courier_after_dispatch": (
        "退款原因 Reasons",
        "发货后物流丢件、显示签收但未收到的，按“{v}”处理，运输风险由卖家承担。",
        "Goods lost by the courier, or signed for but never received, are handled as {v}; the seller bears the "
        "transport risk.",
    ),
    "sub_reasons.price_protection": (
        "退款原因 Reasons",
        "降价/价保申请按“{v}”处理，以部分退款退差价，由店铺决定是否同意，不计卖家过错。",
        "Price-drop (price protection) requests are handled as {v}: a partial refund of the difference, at the "
        "shop's discretion, not a seller fault.",
    ),
    "sub_reasons.size_fit": (
        "退款原因 Reasons",
        "尺码与商品描述（尺码表）不符的，按“{v}”处理；买家自己选错尺码的属于拍错或七天无理由。",
        "A size that does not match the listing's size chart is handled as {v}; a size the buyer picked wrongly "
        "is ordered by mistake or a seven-day return.",
    ),
}

WORDS_ZH = {
    "points": "平台积分",
    "original_payment": "原路退回",
    "coupon": "优惠券",
    "voucher": "代金券",
    "seller": "卖家",
    "platform": "平台",
    "custom_made": "定制商品",
    "perishable": "鲜活易腐商品",
    "digital": "数字化商品",
    "not_received": "未收到货（物流丢失）",
    "missing_items": "少件漏发",
    "wrong_item": "错发",
    "document": "文件（品牌方鉴定报告、质检报告）",
    "order_record": "订单记录（发货时间与发货时限）",
    "seller_consent": "卖家同意（含超时视为同意）",
    "in_trade": "交易进行中（买家已付款、卖家已发货）",
    "post_trade": "交易成功后的售后",
    "return_and_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "platform_fund": "平台赔付基金",
    "none": "无",
    "phone": "电话",
    "email": "邮箱",
    "online": "在线投诉入口",
    "chat": "在线客服",
    "social_media": "社交媒体",
    "quality": "商品质量问题",
    "not_as_described": "商品描述不符",
    "damaged": "收到后损坏",
    "missing": "收到后缺失",
    "service": "售后服务问题",
    "quality_problem": "商品质量问题",
    "other": "其他",
}
WORDS_EN = {
    "custom_made": "custom-made",
    "perishable": "perishable",
    "digital": "digital",
    "not_received": "courier loss",
    "missing_items": "missing items",
    "wrong_item": "wrong item",
    "original_payment": "original payment",
    "document": "documents (brand appraisal or quality report)",
    "order_record": "the order's record (ship time against the ship deadline)",
    "seller_consent": "the seller's consent (or silence past the response deadline)",
    "in_trade": "while the trade is in progress (paid or shipped)",
    "post_trade": "after the trade completed",
    "return_and_refund": "return and refund",
    "platform_fund": "platform fund",
    "none": "none",
    "email": "e-mail",
    "online": "the online form",
    "social_media": "social media",
    "not_as_described": "not as described",
    "quality_problem": "a quality problem",
    "other": "other",
}


@dataclass(frozen=True)
class RuleText:
    key: str
    section: str
    value: Any
    zh: str
    en: str
    source: str


def _render(template: str, value: Any, words: dict[str, str], lang: str) -> str:
    if isinstance(value, list):
        shown = ("、" if lang == "zh" else ", ").join(words.get(str(v), str(v)) for v in value) or words["none"]
    else:
        shown = words.get(str(value), str(value))
    yuan = format_yuan(value) if isinstance(value, int) else shown
    return template.format(v=shown, yuan=yuan)


def _leaves(node: Any, prefix: str = "") -> list[tuple[str, Any, str]]:
    if isinstance(node, dict):
        if "value" in node and "source" in node:
            return [(prefix, node["value"], node["source"])]
        out: list[tuple[str, Any, str]] = []
        for key, child in node.items():
            out += _leaves(child, f"{prefix}.{key}" if prefix else key)
        return out
    return []


def describe(policy: Policy) -> list[RuleText]:
    """Every rule in force, in the order of the policy file, as zh and en sentences."""
    raw = policy.model_dump(mode="json")
    texts: list[RuleText] = []
    for key, value, source in _leaves(raw):
        if key.startswith("complaints.sanctions"):
            continue
        section, zh, en = SENTENCES.get(key, ("其他 Other", f"{key} = {{v}}", f"{key} = {{v}}"))
        texts.append(
            RuleText(
                key, section, value, _render(zh, value, WORDS_ZH, "zh"), _render(en, value, WORDS_EN, "en"), source
            )
        )
    for step in policy.complaints.sanctions:
        texts.append(
            RuleText(
                f"complaints.sanctions.{step.sanction}",
                "规则投诉 Complaints",
                step.threshold.value,
                f"累计扣分达到 {step.threshold.value} 分：{SANCTION_ZH[step.sanction]}。",
                f"At {step.threshold.value} points: {step.sanction.replace('_', ' ')}.",
                step.threshold.source,
            )
        )
    for service_step in policy.service_complaints.sanctions:
        misses = service_step.misses.value
        texts.append(
            RuleText(
                f"service_complaints.sanctions.{service_step.sanction}",
                "售后投诉 Service complaints",
                misses,
                f"卖家不按售后投诉处理制度处理、超时环节累计达到 {misses} 次：{SANCTION_ZH[service_step.sanction]}。",
                f"At {misses} missed complaint steps: {service_step.sanction.replace('_', ' ')}.",
                service_step.misses.source,
            )
        )
    return texts


SANCTION_ZH = {
    "warning": "警告",
    "search_demotion": "搜索降权",
    "promotion_ban": "禁止参加官方活动",
    "trading_suspension": "暂停交易",
}
