"""The sentence a page shows for a refusal (a `DomainError`), in the page's language.

The services raise `DomainError`s with a stable machine `code` and an English `message` that is
usually an f-string carrying values ("At most 2500 fen can be refunded ..."). Such a sentence
cannot be a gettext msgid (it differs on every call), so the Chinese text is keyed by the code.

Why a Python table here and not entries in the zh_CN .po catalog: the catalogs hold the
English-keyed texts that `pybabel extract` finds in templates and code; msgids made of codes
would be invisible to extraction and `pybabel update` would mark them obsolete. Keeping the
code → Chinese sentence table in one module gives one obvious place to add a sentence when a
service gains a new code (tests/web/test_web_errors.py scans src/peifu for every code raised and
fails if one has no sentence here), lets a sentence be checked against the values its raise
sites actually pass, and keeps the English pages showing exactly the API's message.

Each code has a generic Chinese sentence (`ZH_CN`). Where the raise sites pass the values the
English message carries as `details` (amounts, dates, limits), `ZH_CN_WITH_VALUES` has a
sentence with those values; it is used when every field it names is present and formats,
otherwise the generic one is. Field specs: `:yuan` (fen → "¥12.50"), `:time` (a UTC datetime or
ISO string → Asia/Shanghai "2026-11-26 20:15"), `:mb` (bytes → whole MB).
On English pages, and for a code with no sentence, the service's English message is shown.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from peifu.adapters.web import i18n
from peifu.domain.clock import to_local
from peifu.domain.errors import DomainError
from peifu.domain.money import format_yuan

ZH_CN: dict[str, str] = {
    # --- who may do what ---------------------------------------------------------------------------
    "actor_not_allowed": "您没有权限进行这个操作。",
    "actor_header_not_trusted": "本平台不接受 X-Peifu-Actor 请求头，请使用登录令牌（Bearer）。",
    "actor_invalid": "操作人格式不正确，应为“角色:编号”。",
    "actor_required": "请说明操作人（X-Peifu-Actor 请求头，格式为“角色:编号”）。",
    "unauthenticated": "请先登录。",
    "invalid_credentials": "用户名或密码错误。",
    "login_throttled": "登录失败次数过多，请稍后再试。",
    "login_busy": "登录的人太多了，请一秒后再试。",
    "invalid_api_key": "API 密钥不存在或已被吊销。",
    "session_expired": "登录已过期，请重新登录。",
    "party_required": "买家账号需要买家编号，商家员工账号需要店铺编号。",
    "password_too_short": "密码至少需要 8 个字符。",
    "role_invalid": "角色不正确。",
    "scope_invalid": "API 密钥的范围只能是“platform”或“shop:店铺编号”。",
    "user_exists": "该用户已存在。",
    "sandbox_disabled": "沙盒时钟仅在 PEIFU_SANDBOX=1 时可用。",
    "clock_backwards": "沙盒时钟只能向前拨。",
    # --- things that do not exist -------------------------------------------------------------------
    "action_not_found": "没有这个操作。",
    "attachment_not_found": "没有找到这个附件。",
    "buyer_not_found": "没有找到这个买家。",
    "case_not_found": "没有找到这个售后单。",
    "category_not_found": "这个类目下没有店铺。",
    "complaint_not_found": "没有找到这个投诉。",
    "dispute_not_found": "这个售后单还没有申请平台介入。",
    "evidence_not_found": "没有找到这份凭证。",
    "order_not_found": "没有找到这个订单。",
    "policy_version_not_found": "没有保存这个版本的规则。",
    "rating_not_found": "这个售后单还没有评价。",
    "rule_not_found": "店铺没有这条规则。",
    "shop_not_found": "没有找到这个店铺。",
    # --- orders ----------------------------------------------------------------------------------
    "order_exists": "这个订单已经导入过了。",
    "order_event_not_allowed": "订单当前的状态下不能接收这个事件。",
    "order_has_open_case": "这个订单有正在处理中的售后申请。",
    "order_not_paid": "订单尚未付款，还没有可退的钱。",
    "order_closed": "订单已关闭，不能再申请售后。",
    "time_in_future": "填写的时间晚于当前时间。",
    "time_before_previous_event": "填写的时间早于上一步发生的时间。",
    # --- after-sale requests -----------------------------------------------------------------------
    "after_sale_window_closed": "已超过交易完成后可申请售后的期限。",
    "amount_exceeds_refundable": "申请金额超过了可退金额（已付金额减去已退款和其他进行中的申请）。",
    "amount_invalid": "请按元填写金额，最多两位小数，例如 12.50。",
    "amount_not_allowed": "这类申请要的是商品而不是退款，请不要填写金额。",
    "amount_out_of_range": "申请金额超出范围。",
    "amount_required": "请填写要退的金额（大于 0）。",
    "case_already_open": "该商品已有正在处理中的售后申请。",
    "line_fully_refunded": "该商品已经没有可退的金额了。",
    "line_not_in_order": "该商品不属于这个订单。",
    "no_lines": "请至少选择一件商品。",
    "reason_needs_shipment": "这个原因针对的是收到的商品，但订单还没有发货。",
    "reason_not_after_shipment": "订单已经发货，不属于缺货。",
    "reason_not_for_type": "延迟发货只能赔钱，不能要求退回商品。",
    "type_needs_shipment": "商品发货后才能申请这种售后；发货前只能申请仅退款。",
    "seven_day_needs_receipt": "七天无理由从收货时开始计算，您还没有收货。",
    "seven_day_needs_return": "七天无理由需要退回商品：请选择退货退款或换货。",
    "seven_day_not_applicable": "该商品不支持七天无理由退货。",
    "seven_day_window_closed": "已超过收货后七天无理由退货的期限。",
    "not_late": "还没有超过发货期限，不能按延迟发货申请。",
    "refund_exceeds_paid": "退款金额会超过该商品的实付金额。",
    "confirm_on_sign_not_applicable": "只有退货、换货或维修才有需要签收的包裹。",
    # --- moving a case -----------------------------------------------------------------------------
    "action_not_allowed": "售后单当前的状态下不能进行这个操作。",
    "too_early": "现在还不能进行这个操作，请稍后再试。",
    "no_proposal": "目前没有可以接受的方案。",
    "nothing_to_advance": "这个售后单不涉及退款，没有可以先行垫付的金额。",
    "advance_not_applicable": "这个原因不在平台先行赔付的范围内。",
    "case_final": "售后单已结束，不能再上传文件。",
    "too_many_attachments": "附件数量已达上限。",
    "nothing_chosen": "请先选择要同意的申请。",
    "too_many_chosen": "一次最多同意 1000 个申请。",
    # --- evidence and disputes ---------------------------------------------------------------------
    "evidence_empty": "请填写凭证内容，或上传文件。",
    "evidence_kind_invalid": "备注只能是陈述、聊天记录或物流记录。",
    "evidence_needs_dispute": "申请平台介入后才能提交书面陈述；在此之前，请在申请中描述问题并上传图片。",
    "evidence_too_large": "文件太大了。",
    "unsupported_media_type": "不支持这种文件类型。",
    "content_type_mismatch": "文件内容与所选的文件类型不符，请上传真实的图片、视频或文档。",
    "no_dispute": "申请进入平台介入后才能提交凭证。",
    "dispute_final": "平台已作出最终裁决，不再接收凭证。",
    "dispute_ruled": "平台已经裁决；新的凭证请随申诉一起提交。",
    "dispute_already_ruled": "平台已经裁决，败诉方可以申诉。",
    "already_appealed": "只能申诉一次。",
    "appeal_window_closed": "申诉期已过，结果为最终结果。",
    "not_appealable": "当前不能申诉。",
    "not_the_losing_party": "只有结果对其不利的一方才能申诉。",
    "no_pending_appeal": "没有等待复核的申诉。",
    "same_agent": "申诉须由另一位客服复核。",
    "assignee_not_an_agent": "只能分配给在职的平台客服（小二）账号。",
    "assignee_is_a_party": "不能把介入工单分配给纠纷的当事方。",
    "agent_is_a_party": "小二不能对自己作为当事方的纠纷作出判定。",
    "decision_required": "请选择处理结果。",
    # --- complaints --------------------------------------------------------------------------------
    "complaint_exists": "这个订单已经投诉过了；同一订单只能投诉一次，撤回后也不能再次投诉。",
    "complaint_decided": "这个投诉已经处理过了。",
    "complaint_window_closed": "已超过可以投诉的期限。",
    "case_not_in_order": "这个售后单不是关于该订单的。",
    # --- ratings -----------------------------------------------------------------------------------
    "case_not_final": "售后单结束后才能评价处理结果。",
    "rating_exists": "这个售后单已经评价过了，每个售后单只能评价一次。",
    "rating_out_of_range": "评分须为 1 到 5 的整数。",
    "comment_too_long": "评价内容太长了。",
    # --- seller auto-handling rules ----------------------------------------------------------------
    "rule_name_required": "请给规则起个名字。",
    "rule_amount_invalid": "最高金额必须是不小于 0 的数。",
    "rule_priority_invalid": "优先级超出范围（数字越小越先执行）。",
    "rule_case_types_invalid": "签收退货后自动同意只适用于需要退回商品的售后：请只选择退货退款、换货或维修。",
    "rule_reasons_required": "请选择要请买家修改的原因。",
    "rule_suggested_reason_required": "请选择建议买家改成的原因。",
    "rule_suggested_reason_invalid": "建议的原因不正确：只有“请买家修改原因”的规则才给出建议，且须不同于要修改的原因。",
    "too_many_rules": "店铺的规则数量已达上限，请先删除一条。",
    # --- abuse signals -----------------------------------------------------------------------------
    "abuse_mark_exists": "该买家已有生效中的标记，请先解除。",
    "no_standing_mark": "该买家没有生效中的标记。",
    "case_ids_required": "按售后单标记时，请选择要标记的售后单。",
    "case_ids_without_scope": "只有按售后单标记时才需要选择售后单。",
    "case_not_of_buyer": "有售后单不属于这个买家。",
    "since_required": "按时间标记时，请填写从何时起的申请要被标记。",
    # --- triage ------------------------------------------------------------------------------------
    "text_empty": "没有可以分析的文字：请用几句话写下发生了什么。",
    "text_too_long": "文字太长了。",
    # --- metrics windows ---------------------------------------------------------------------------
    "window_ambiguous": "请只给出天数，或者只给出起止日期，不要同时给出。",
    "window_days_out_of_range": "天数超出范围。",
    "window_from_after_to": "开始日期晚于结束日期。",
    "window_in_future": "开始日期在未来。",
    "window_too_long": "统计区间太长了。",
    # --- events and webhooks -----------------------------------------------------------------------
    "invalid_cursor": "游标无效：请使用事件流返回的 next_cursor。",
    "invalid_limit": "每页条数超出范围（1 到 1000）。",
    "unknown_event_type": "有未知的事件类型。",
    "event_not_found": "没有找到这个事件。",
    "event_types_empty": "请至少选择一种事件类型，或不填以接收全部事件。",
    "event_type_not_visible": "店铺的接收地址不能订阅平台内部事件。",
    "webhook_endpoint_not_found": "没有找到这个接收地址。",
    "not_your_shop": "只能订阅本店铺的事件。",
    "invalid_status": "接收地址的状态只能设为启用或停用。",
    "invalid_grace": "新旧密钥并存的时间须在 0 到 168 小时之间。",
    "replay_what": "请指定要重发的一个事件，或一个时间段。",
    "replay_range": "重发的时间段不正确（结束须晚于开始，且不超过 31 天）。",
    "replay_too_large": "一次最多重发 10 万个事件，请缩短时间段。",
    "url_invalid": "接收地址不是有效的网址。",
    "url_too_long": "接收地址太长了。",
    "url_scheme": "接收地址只能是 http:// 或 https:// 开头的网址。",
    "url_credentials": "网址中不要包含用户名或密码，请校验签名。",
    "url_fragment": "接收地址不能带 # 片段。",
    "url_not_allowed": "不能向内网、本机或保留地址发送事件。",
    "unknown_operation": "不支持这个操作。",
    # --- forms -------------------------------------------------------------------------------------
    "validation_error": "表单填写有误，请检查后重试。",
    "validation_failed": "表单填写有误，请检查后重试。",
    # --- service complaints (售后投诉) -------------------------------------------------------------------
    "service_complaint_not_found": "没有找到这个售后投诉。",
    "page_not_found": "没有这个页面。",
    "buyer_required": "请填写代为登记投诉的买家编号。",
    "category_by_agent": "投诉由平台分类，提交时无需选择分类。",
    "category_required": "登记投诉需要选择投诉分类。",
    "unknown_category": "没有这个投诉分类。",
    "unknown_channel": "这不是平台公布的投诉渠道。",
    "unknown_state": "没有这个投诉状态。",
    "subject_required": "请填写订单号；没有订单时请填写店铺。",
    "shop_not_of_order": "该订单不属于这个店铺。",
    "remedy_required": "请填写处理方案和承诺完成的时间。",
    "promise_in_the_past": "承诺完成的时间必须晚于现在。",
    "promise_too_late": "承诺完成的时间超出了平台允许的最长期限。",
    "result_required": "请填写处理结果。",
    "note_required": "请填写处理说明。",
    "rating_required": "请选择 1 到 5 分的满意度。",
}

ZH_CN_WITH_VALUES: dict[str, str] = {
    "login_throttled": "这个账号或这个网络地址的登录失败次数过多，请 {retry_after_seconds} 秒后再试。",
    "after_sale_window_closed": "交易完成后可申请售后的期限已于 {window_end:time} 结束。",
    "seven_day_window_closed": "七天无理由退货的期限已于 {window_end:time} 结束。",
    "not_late": "商家的发货期限是 {ship_deadline:time}，超过后才能按延迟发货申请或赔付。",
    "amount_exceeds_refundable": "最多可退 {refundable_fen:yuan}（已付金额减去已退款和其他进行中的申请）。",
    "case_not_found": "没有找到售后单 {case_id}。",
    "dispute_not_found": "没有找到介入工单 {dispute_id}。",
    "order_not_found": "没有找到订单 {order_id}。",
    "order_exists": "订单 {order_id} 已经导入过了。",
    "shop_not_found": "没有找到店铺 {shop_id}。",
    "rule_not_found": "店铺没有编号为 {rule_id} 的规则。",
    "rating_not_found": "售后单 {case_id} 还没有评价。",
    "category_not_found": "类目“{category}”下没有店铺。",
    "rating_out_of_range": "评分须为 {min} 到 {max} 的整数。",
    "comment_too_long": "评价内容最多 {max_length} 个字。",
    "too_many_attachments": "一个售后单最多上传 {limit} 个文件。",
    "evidence_too_large": "这类凭证的文件最大 {limit:mb} MB。",
    "text_too_long": "最多分析 {limit} 个字，请精简一些。",
    "window_days_out_of_range": "天数须在 1 到 {max_days} 之间。",
    "window_too_long": "统计区间最长 {max_days} 天。",
    "window_from_after_to": "开始日期（{start}）晚于结束日期（{end}）。",
    "window_in_future": "开始日期（{start}）在未来。",
}


class _Values(string.Formatter):
    """str.format with the specs people need: `:yuan`, `:time`, `:mb`."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "yuan":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("fen must be an int")
            return format_yuan(value)
        if format_spec == "time":
            when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            return to_local(when).strftime("%Y-%m-%d %H:%M")
        if format_spec == "mb":
            return str(int(value) // (1024 * 1024))
        return str(super().format_field(value, format_spec))


_FORMATTER = _Values()


def chinese(code: str, details: Mapping[str, Any] | None = None) -> str | None:
    """The zh-CN sentence for a refusal code (with its values when they are given), or None."""
    template = ZH_CN_WITH_VALUES.get(code)
    if template is not None and details:
        try:
            return _FORMATTER.vformat(template, (), dict(details))
        except (KeyError, IndexError, TypeError, ValueError):
            pass  # a raise site without these values: the generic sentence says it
    return ZH_CN.get(code)


def sentence(code: str, message: str, details: Mapping[str, Any] | None = None, locale: str | None = None) -> str:
    """A refusal's sentence in the page's language: Chinese on zh-CN pages when the code has
    one, else the service's English `message`. For refusals carried as (code, message) pairs,
    such as the per-case results of a bulk action."""
    if (locale or i18n.current_locale.get()) == "zh_CN":
        return chinese(code, details) or message
    return message


def message_for(exc: DomainError, locale: str | None = None) -> str:
    """What a page shows for `exc`: Chinese on zh-CN pages, the service's English otherwise."""
    return sentence(exc.code, exc.message, exc.details, locale)
