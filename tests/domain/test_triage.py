"""Complaint triage: the reason model in three scripts, the case type and priority rules, the API,
the triage kept on a case, and the queue order built on it.

Here: the rules alone, no database (through the database: tests/api/test_triage.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sklearn
import zhconv

from peifu.domain.errors import Invalid
from peifu.domain.triage import (
    LARGE_AMOUNT_FEN,
    MAX_TEXT_CHARS,
    UNSURE_BELOW,
    Language,
    Priority,
    Signal,
    SubReason,
    amount_in_text_fen,
    decisive_reason,
    priority_for,
    stated_wish,
    suggest_case_type,
)
from peifu.domain.vocabulary import CaseType, Reason
from peifu.services import triage as triage_service
from peifu.triage import model as triage_model
from peifu.triage.evaluate import evaluate, split
from peifu.triage.model import load_examples
from peifu.triage.text import language_of, normalise

ISSUE_TEXT = "收到的鞋子开胶了，和图片颜色也不一样"
GOODS_REASONS = {Reason.not_as_described, Reason.quality_problem}


def test_the_issue_example_is_a_goods_problem_sent_back_for_a_refund() -> None:
    result = triage_service.triage(ISSUE_TEXT)
    assert result.reason in GOODS_REASONS
    assert result.case_type is CaseType.return_and_refund
    assert result.language is Language.zh_hans
    assert result.priority is Priority.normal
    assert 0 < result.confidence <= 1
    assert [a.reason for a in result.alternatives] and result.reason not in [a.reason for a in result.alternatives]
    assert all(a.p <= result.confidence for a in result.alternatives)


def test_traditional_chinese_reads_like_simplified() -> None:
    simplified = triage_service.triage(ISSUE_TEXT)
    traditional = triage_service.triage("收到的鞋子開膠了，和圖片顏色也不一樣")
    assert traditional.language is Language.zh_hant
    assert (traditional.reason, traditional.confidence) == (simplified.reason, simplified.confidence)
    assert normalise("開膠 ＡＢＣ  顏色") == "开胶 abc 颜色"


def test_english_variant() -> None:
    result = triage_service.triage("The shoes came unglued after a day and the colour is different from the pictures")
    assert result.language is Language.en
    assert result.reason in GOODS_REASONS
    assert result.case_type is CaseType.return_and_refund


# Fresh texts (not in the training data), one or more per reason and language.
FRESH = [
    ("买的台灯用了两天就不亮了，开关也坏了", Reason.quality_problem),
    ("描述写的是纯羊毛，收到的是腈纶的", Reason.not_as_described),
    ("这双鞋是假货，专柜鉴定不是正品", Reason.counterfeit),
    ("快递箱子被压烂了，里面的碗全碎了", Reason.damaged),
    ("我买的是红色的，给我发了个黑色的，发错货了", Reason.wrong_item),
    ("买了四件只收到三件，少发了一件", Reason.missing_items),
    ("物流显示已签收，可是我没有收到包裹", Reason.not_received),
    ("付款一周了还没发货，说好的48小时发货", Reason.late_shipment),
    ("卖家说没货了，让我申请退款", Reason.out_of_stock),
    ("不小心拍错了尺码，还没发货，想重新拍", Reason.ordered_by_mistake),
    ("不想要了，帮我取消订单吧", Reason.no_longer_wanted),
    ("收到不喜欢，申请七天无理由退货，没拆封", Reason.seven_day_no_reason),
    ("发票抬头开错了，请重新开一张", Reason.invoice_problem),
    ("物流顯示已簽收，但我根本沒收到包裹", Reason.not_received),
    ("賣家寄錯顏色了，我買的是藍色", Reason.wrong_item),
    ("發票一直沒有開給我", Reason.invoice_problem),
    ("The parcel arrived crushed and the plates inside are broken", Reason.damaged),
    ("Tracking says delivered but I never received my package", Reason.not_received),
    ("The seller never sent me an invoice", Reason.invoice_problem),
    ("You sent me the wrong colour, I ordered blue", Reason.wrong_item),
]


@pytest.mark.parametrize(("text", "reason"), FRESH, ids=[f"{r}-{i}" for i, (_, r) in enumerate(FRESH)])
def test_fresh_texts_get_their_reason(text: str, reason: Reason) -> None:
    assert triage_service.triage(text).reason is reason


@pytest.mark.slow  # fits the model on three quarters of the data: ~20 s
def test_held_out_accuracy_is_above_the_floor() -> None:
    """Floors: 14 reasons, so chance is 7 % and always answering the largest class 12 %; the model
    scores about 85–90 % held out and in 5-fold cross-validation (docs/triage-evaluation.md). 75 %
    overall leaves room for other scikit-learn versions and small data edits while catching a real
    break (say the traditional → simplified conversion failing, or a tokenizer returning nothing).
    English is the weakest language (fewer, more varied rows): its floor is 60 %."""
    ev = evaluate(folds=0)
    assert ev.test >= 150
    assert ev.accuracy >= 0.75, ev.accuracy
    assert ev.macro_f1 >= 0.70, ev.macro_f1
    assert ev.per_language["zh-Hans"][0] >= 0.80
    assert ev.per_language["zh-Hant"][0] >= 0.75
    assert ev.per_language["en"][0] >= 0.60
    assert all(r.recall > 0 for r in ev.per_reason), [r.reason for r in ev.per_reason if r.recall == 0]


def test_the_data_covers_every_reason_in_every_language_and_splits_reproducibly() -> None:
    examples = load_examples()
    assert len(examples) >= 600
    for reason in Reason:
        rows = [e for e in examples if e.reason is reason]
        assert len(rows) >= 30, reason
        assert {e.language for e in rows} == {"zh-Hans", "zh-Hant", "en"}, reason
    for e in examples:  # (a text without script-specific characters, 不想要了, reads as simplified)
        neutral = e.language == "zh-Hant" and zhconv.convert(e.text, "zh-cn") == e.text
        assert language_of(e.text) == ("zh-Hans" if neutral else e.language), e.text
    keys = [normalise(e.text) for e in examples]
    assert len(keys) == len(set(keys)), "duplicate texts would leak across the split"
    train, test = split(examples)
    _, again_test = split(load_examples())
    assert [e.text for e in test] == [e.text for e in again_test]
    assert not {e.text for e in train} & {e.text for e in test}


def test_the_shipped_artifact_matches_the_data_and_is_used() -> None:
    meta = json.loads((triage_model.data_dir() / triage_model.META_FILE).read_text(encoding="utf-8"))
    assert meta["data_sha256"] == triage_model.data_digest(), "run `peifu triage train` after editing the data"
    assert meta["examples"] == len(load_examples())
    model = triage_model.load()
    if meta["sklearn"] == sklearn.__version__:
        assert (model.name, model.source) == (meta["name"], "artifact")
    else:  # another scikit-learn: the pickle is not trusted, the same model is fitted from the data
        assert model.source == "fitted"


@pytest.mark.slow  # fits the model twice from the data: ~60 s
def test_a_mismatched_artifact_is_never_unpickled_the_model_is_fitted_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = triage_model.data_dir()
    for path in triage_model.data_files(source):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / triage_model.MODEL_FILE).write_bytes(b"not a pickle: must not be loaded")
    meta = json.loads((source / triage_model.META_FILE).read_text(encoding="utf-8"))
    (tmp_path / triage_model.META_FILE).write_text(json.dumps({**meta, "sklearn": "0.0"}), encoding="utf-8")
    monkeypatch.setattr(triage_model, "data_dir", lambda: tmp_path)
    fitted = triage_model._load_or_fit()
    assert fitted.source == "fitted"
    assert fitted.probabilities(normalise(ISSUE_TEXT))[0][0] in GOODS_REASONS
    # a matching meta with a damaged pickle: fitted too, with a warning
    (tmp_path / triage_model.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    refitted = triage_model._load_or_fit()
    assert (refitted.source, refitted.classes) == ("fitted", fitted.classes)


def test_case_type_follows_a_stated_wish_else_the_reasons_remedy() -> None:
    assert stated_wish(normalise("发错货了，麻烦给我换一下，我不想退")) is CaseType.exchange
    assert stated_wish(normalise("少了一个配件，请补发")) is CaseType.reship
    assert stated_wish(normalise("耳机坏了，能维修吗")) is CaseType.repair
    assert stated_wish(normalise("降价了要求退差价")) is CaseType.partial_refund
    assert stated_wish(normalise("质量太差，仅退款，不退货")) is CaseType.refund_only
    assert stated_wish(normalise("质量太差，我要退货")) is CaseType.return_and_refund
    assert stated_wish(normalise("I want to exchange it for a bigger size")) is CaseType.exchange
    assert stated_wish(normalise("换了几根线都充不进电")) is None  # 换 alone is not a wish
    assert suggest_case_type("", Reason.missing_items) is CaseType.reship
    assert suggest_case_type("", Reason.wrong_item) is CaseType.exchange
    assert suggest_case_type("", Reason.not_received) is CaseType.refund_only
    assert suggest_case_type("", Reason.counterfeit) is CaseType.return_and_refund
    # the eligibility rules bound the suggestion
    assert suggest_case_type("请补发", Reason.missing_items, goods_sent=False) is CaseType.refund_only
    assert suggest_case_type("换一个", Reason.late_shipment) is CaseType.refund_only
    assert suggest_case_type("仅退款", Reason.seven_day_no_reason) is CaseType.return_and_refund
    assert suggest_case_type("换一个大一码的", Reason.seven_day_no_reason) is CaseType.exchange


@pytest.mark.parametrize(
    ("text", "reason", "priority", "signal"),
    [
        ("充电宝充电的时候冒烟了，差点起火", Reason.quality_problem, Priority.urgent, Signal.safety_hazard),
        ("孩子用了这个面霜脸过敏红肿，去了医院", Reason.quality_problem, Priority.urgent, Signal.safety_hazard),
        ("the heater gave me an electric shock", Reason.quality_problem, Priority.urgent, Signal.safety_hazard),
        ("专柜鉴定是假货", Reason.counterfeit, Priority.urgent, Signal.counterfeit_claim),
        ("再不处理我就打12315投诉你们", Reason.not_received, Priority.urgent, Signal.legal_threat),
        ("I will contact my lawyer", Reason.not_received, Priority.urgent, Signal.legal_threat),
        ("这是我第三次联系你们了，还是没收到货", Reason.not_received, Priority.high, Signal.repeated_contact),
        ("This is the third time I'm writing", Reason.not_received, Priority.high, Signal.repeated_contact),
        ("手机是3999元买的，屏幕坏了", Reason.quality_problem, Priority.high, Signal.large_amount),
        ("客户来电，情绪激动", Reason.not_received, Priority.high, Signal.buyer_distress),
        ("拍错了，想重新拍", Reason.ordered_by_mistake, Priority.low, Signal.buyer_side_reason),
        ("不想要了", Reason.no_longer_wanted, Priority.low, Signal.buyer_side_reason),
        ("鞋子开胶了", Reason.quality_problem, Priority.normal, None),
    ],
)
def test_priority_rules(text: str, reason: Reason, priority: Priority, signal: Signal | None) -> None:
    got, signals = priority_for(normalise(text), reason, 0.8)
    assert got is priority
    assert (signal in signals) if signal else signals == ()


def test_priority_edges() -> None:
    # an unsure suggestion never lowers the priority
    assert priority_for("不想要了", Reason.no_longer_wanted, UNSURE_BELOW - 0.01) == (
        Priority.normal,
        (Signal.unsure_reason,),
    )
    # the money asked counts as much as a sum in the text; the highest signal wins
    assert priority_for("鞋子开胶", Reason.quality_problem, 0.9, amount_fen=LARGE_AMOUNT_FEN)[0] is Priority.high
    assert priority_for("鞋子开胶", Reason.quality_problem, 0.9, amount_fen=LARGE_AMOUNT_FEN - 1)[0] is Priority.normal
    got, signals = priority_for(normalise("第二次找你们了，假货还冒烟"), Reason.counterfeit, 0.9)
    assert got is Priority.urgent and {Signal.repeated_contact, Signal.safety_hazard} <= set(signals)
    # a buyer-side reason with a real signal is not low
    assert priority_for("拍错了，又是第三次联系", Reason.ordered_by_mistake, 0.9)[0] is Priority.high
    assert amount_in_text_fen("¥2999.5 还有 300块") == 299950
    assert amount_in_text_fen("功率2000w，容量5000毫安") == 0
    assert amount_in_text_fen("paid 1200 rmb") == 120000


def test_triage_through_the_service_combines_model_and_rules() -> None:
    urgent = triage_service.triage("充电器充电时冒烟起火了，把桌子都烧焦了", amount_fen=9900)
    assert urgent.priority is Priority.urgent and Signal.safety_hazard in urgent.signals
    fake = triage_service.triage("专柜鉴定是假货，不是正品")
    assert fake.reason is Reason.counterfeit and fake.priority is Priority.urgent
    low = triage_service.triage("不小心拍错了颜色，想重新拍")
    assert low.reason is Reason.ordered_by_mistake and low.priority is Priority.low
    # 还没发货 names a second reason (late shipment): the buyer-side reason is still the suggestion, but
    # a text naming two reasons is less sure, and an unsure suggestion never lowers the priority
    two = triage_service.triage("不小心拍错了颜色，还没发货，想重新拍")
    assert two.reason is Reason.ordered_by_mistake
    assert two.priority is (Priority.normal if two.for_person else Priority.low)


@pytest.mark.parametrize("text", ["", "   ", "！！！。。。", "😡😡"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        triage_service.triage(text)
    assert refused.value.code == "text_empty"


def test_over_long_text_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        triage_service.triage("开胶" * MAX_TEXT_CHARS)
    assert refused.value.code == "text_too_long"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("台灯才三天灯罩就裂了", "才三天"),
        ("耳机刚用了一下午，摔了一下外壳就碎了", "刚用了一下午，摔了一下"),
        ("手表没几天表盘就碎了", "没几天"),
        ("卫衣穿没两天腋下就裂开了", "穿没两天"),  # eighth round
        ("牛仔裤洗了两次裤脚就裂了", "洗了两次"),  # eighth round
    ],
)
def test_damage_that_came_with_use_is_no_transit_damage(text: str, cue: str) -> None:
    """The labelling guide: damage after use or the buyer's own fall is a quality problem, not `damaged`
    (sixth round: 才几天, 没几天, 刚用, 摔了一下 join 没用几天 as the cue); without the cue the same
    words are transit damage."""
    assert decisive_reason(normalise(text)) is None
    assert decisive_reason(normalise(text.replace(cue, ""))) == (Reason.damaged, None)


@pytest.mark.parametrize("text", ["台灯收到灯罩就裂了", "拆开快递耳机外壳就碎了"])
def test_damage_out_of_the_parcel_is_still_damaged(text: str) -> None:
    rule = decisive_reason(normalise(text))
    assert rule is not None and rule[0] is Reason.damaged


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("洗完掉了好多头发，怀疑是假货", None),  # the guide: 怀疑是假货 is a doubt (none)
        ("闻着跟专柜的不一样，假货么？", None),  # a question, not a claim
        ("商城的价格保护就是假的，降了也不补", Reason.other),  # 假的 said of a promise
        ("估计是买到假货了，跟专柜的不一样", Reason.counterfeit),  # 估计 is a claim
        ("专柜鉴定是假的", Reason.counterfeit),
    ],
)
def test_a_doubted_asked_or_promised_fake_is_no_counterfeit_claim(text: str, reason: Reason | None) -> None:
    """Seventh round: 怀疑是假货, 假货么？ and 价格保护就是假的 fired the counterfeit phrase on real texts
    labelled `none` or `other`; a claim (估计是假货, 鉴定是假的) still decides."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


def test_an_invoice_not_received_is_no_parcel_not_received() -> None:
    """发票到现在还没收到 names the invoice, not the parcel; the same words about the goods still do."""
    assert decisive_reason(normalise("手机还行，发票到现在还没收到")) == (Reason.invoice_problem, None)
    assert decisive_reason(normalise("付款半个月了，到现在还没收到货")) == (Reason.not_received, None)


def test_a_price_that_fell_after_the_purchase_is_a_price_drop() -> None:
    """掉价 is a price drop (seventh round: it fired no phrase on real texts labelled `other`)."""
    assert decisive_reason(normalise("刚付完款就掉价了，心疼")) == (Reason.other, SubReason.price_protection)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("这条牛仔裤上身有点紧，平时这个码正好", (Reason.not_as_described, SubReason.size_fit)),
        ("外套袖子太窄了，胳膊都伸不进去", (Reason.not_as_described, SubReason.size_fit)),
        ("褲腿太緊了，蹲不下去", (Reason.not_as_described, SubReason.size_fit)),  # zh-Hant
        ("页面写的修身款，到手松松垮垮宽松得像睡衣", (Reason.not_as_described, SubReason.size_fit)),
        ("l码也太小了吧，像童装", (Reason.not_as_described, SubReason.size_fit)),
        ("身高165应该选170的，按推荐买亏了", (Reason.not_as_described, SubReason.size_fit)),
        ("这件裙子穿着很大方，颜色也好看", None),  # 大方 is no size
        ("耳机插头插进去有点紧，不过能用", None),  # tight, but no garment
    ],
)
def test_a_garment_that_runs_small_or_large_in_buyers_words(
    text: str, rule: tuple[Reason, SubReason | None] | None
) -> None:
    """Eighth round: the guide's "a size that runs small or large" in the words buyers use (worn and
    tight, sleeves too narrow, a slim cut that is baggy, an M that is huge, a height that needs the
    next size) is `not_as_described`; 穿着很大方 and a tight plug are not."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("标的是500克一袋，称了一下还不到400克", Reason.not_as_described),
        ("这瓶沐浴露拆开只有半瓶，太坑", Reason.not_as_described),
        ("橙子个头小，压根没有80mm，还有一个软了", Reason.not_as_described),
        ("牛肉干斤数不够，失望", Reason.not_as_described),
        ("the bag of nuts was only 300g, not the 500g listed", Reason.not_as_described),
        ("用了不到3个月就坏了", Reason.quality_problem),  # a time, not an amount
        ("穿了不到10小时就开线了", Reason.quality_problem),
        ("洗发水用了半瓶了还是掉头发", None),  # used up by the buyer
        ("快递箱湿了，漏了半瓶", Reason.damaged),
    ],
)
def test_an_amount_below_the_listing_is_not_as_described(text: str, reason: Reason | None) -> None:
    """Eighth round: fruit, bottles and bags weighing or holding less than listed (不到/没有 N 克, 只有半瓶,
    斤数不够) are `not_as_described` (the guide: differs from the listing's weight or specification),
    even beside a spoiled fruit; a time (不到3个月, 不到10小时) or a half bottle used is not."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("鞋底有点脏，看着不像全新的", (Reason.not_as_described, SubReason.used_or_refurbished)),
        ("这个路由器不像新品，接口都有灰", (Reason.not_as_described, SubReason.used_or_refurbished)),
        ("橘子不像新鲜摘的，皮有点干", None),  # 新鲜 is no used goods
        ("外套跟网上的差很多，版型完全两样", (Reason.not_as_described, None)),
        ("宣传图和收到的根本是两种颜色", (Reason.not_as_described, None)),
        ("网上评价和朋友推荐都说不错，果然好用", None),
    ],
)
def test_not_new_and_not_like_the_pictures(text: str, rule: tuple[Reason, SubReason | None] | None) -> None:
    """Eighth round: 不像新的 is old stock sold as new, 跟网上的差很多 / 图片与实物 a difference from the
    listing (both `not_as_described` in the guide); 不像新鲜 is no used goods, and praise that
    mentions 网上 decides nothing."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("盒子里没有数据线，只有个充电头", (Reason.missing_items, SubReason.gift_or_accessory)),
        ("手表拆开连说明书都没有，不会调时间", (Reason.missing_items, SubReason.gift_or_accessory)),
        ("店里说送的小样没有发给我", (Reason.missing_items, SubReason.gift_or_accessory)),
        ("這款標配沒有耳機，要另外買", None),  # the specification, not a missing part (zh-Hant)
        ("数据线很短，充电头发热", None),
    ],
)
def test_an_accessory_that_did_not_come_is_missing(text: str, rule: tuple[Reason, SubReason | None] | None) -> None:
    """Eighth round: a charger, cable, SIM pin, manual, case or sample missing from the box is the
    guide's "gift or accessory missing"; 标配没有耳机 describes the specification (`none`)."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("周一付的299，隔天就259了，亏", (Reason.other, SubReason.price_protection)),
        ("刚买了一周就便宜一大截，心塞", (Reason.other, SubReason.price_protection)),
        ("结账时优惠券用不了，白领了", (Reason.other, None)),
        ("店铺的会员卡不能用，说好的折扣没有", (Reason.other, None)),
        ("才99块这么便宜，质量还可以", None),  # a cheap price is praise, not a drop
        ("今天就到了，包装很好", None),
    ],
)
def test_a_later_lower_price_or_a_coupon_that_did_not_apply_is_other(
    text: str, rule: tuple[Reason, SubReason | None] | None
) -> None:
    """Eighth round: a price that fell after the purchase said with the two prices (隔天就259了) or
    a time (刚买了一周就便宜) is a price drop, and a coupon or member card that did not apply is
    `other` (the guide); both come after the goods' own problems."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("明明是长袖款，怎么收到的是短袖", Reason.wrong_item),
        ("我要的40给我发了42，穿不上", Reason.wrong_item),
        ("我买的和寄来的不一样，颜色都不对", Reason.wrong_item),
        ("一共五件，搞错两件", Reason.wrong_item),
        ("我要的28码正好合身，谢谢", None),
        ("我买的这款跟店里发的图一样好看", None),
    ],
)
def test_another_variant_sent_in_buyers_words(text: str, reason: Reason | None) -> None:
    """Eighth round: 明明是A怎么收到的是B, 要的40给我发42, 买的和寄来的不一样, 搞错两件 name another
    variant sent (`wrong_item`); a size that fits or a listing praised does not fire."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("详情页说的纯羊毛呢？摸着就是化纤", Reason.not_as_described),
        ("不是说防水的呢，下雨全湿透", Reason.not_as_described),
        ("说好的数据线呢？盒子里找遍了", Reason.missing_items),  # an accessory: missing
        ("说好的赠品呢，一直没看见", Reason.missing_items),
        ("说好的48小时发货呢", None),  # the shop's promise, not the goods
    ],
)
def test_a_promised_property_asked_for_is_not_as_described(text: str, reason: Reason | None) -> None:
    """Eighth round: 说好的X呢 asks for a property the listing promised (`not_as_described`); when X
    is an accessory or a gift it is missing (`missing_items`), and a shipping promise decides nothing."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("卫衣的码太小，平时都穿这个", (Reason.not_as_described, SubReason.size_fit)),
        ("鞋子号不对，脚趾顶得疼", (Reason.not_as_described, SubReason.size_fit)),
        ("窗帘尺寸偏大一截，挂起来拖地", (Reason.not_as_described, SubReason.size_fit)),
        ("上衣颜色偏差很大，比图深好多", (Reason.not_as_described, None)),
        ("书的字号太小，看着累", None),  # a font size is no garment size
        ("颜色很正，尺码也标准", None),
    ],
)
def test_size_and_colour_in_more_buyers_words(text: str, rule: tuple[Reason, SubReason | None] | None) -> None:
    """Eighth round: 码太小, 号不对, 尺寸偏大 are the guide's size that runs small or large, 颜色偏差/有差异
    a colour unlike the listing (`not_as_described`)."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("这家卖的是歪货，跟专柜差远了", Reason.counterfeit),
        ("送人的茅台是假酒，丢脸", Reason.counterfeit),
        ("这批是走私货吧，没有中文标签", Reason.counterfeit),
        ("假包装盒做得挺像", None),  # 假 before 包装 is no fake bag
        ("产品不正常发热，用一会就烫", None),  # 不正常 is a fault, not a fake
    ],
)
def test_fake_goods_in_more_words(text: str, reason: Reason | None) -> None:
    """Eighth round: 歪货, 假酒, 走私货, 产品不正 claim the goods are fake (`counterfeit`); 不正常 and
    假包装 do not."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("这台显示器是残次品，边上一排坏点", Reason.quality_problem),
        ("面料太粗糙了，磨得脖子红", Reason.quality_problem),
        ("毛毯一直掉毛，沙发上全是", Reason.quality_problem),
        ("路由器天天掉线", Reason.quality_problem),
        ("屏幕右下角透光", Reason.quality_problem),
        ("写着加厚，结果围巾薄得能透光", Reason.not_as_described),  # thin, against the listing
        ("店家保证这不是次品，放心用", None),
    ],
)
def test_defects_in_more_buyers_words(text: str, reason: Reason | None) -> None:
    """Eighth round: 残次品, 面料粗糙, 掉毛/粘毛/起毛, 掉线, 透光 (a screen), 不亮了 are defects
    (`quality_problem`); 薄得能透光 against 写着加厚 stays the listing's, and 不是次品 is no claim."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("一箱橘子好多烂，挑出来一半", (Reason.quality_problem, SubReason.spoiled_or_expired)),
        ("桃子烂成一滩水了", (Reason.quality_problem, SubReason.spoiled_or_expired)),
        ("柚子基本都干了，没有汁", (Reason.quality_problem, SubReason.spoiled_or_expired)),
        ("枣子全是皱皮的", (Reason.quality_problem, SubReason.spoiled_or_expired)),
        ("耳机音质太烂，低音发闷", None),  # 太烂 of a sound is no spoiled fruit
    ],
)
def test_spoiled_fruit_in_more_buyers_words(text: str, rule: tuple[Reason, SubReason | None] | None) -> None:
    """Eighth round: 好多烂, 烂成, 烂掉, 都干了, 皱皮, 干瘪 are spoiled goods (`quality_problem`)."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("袜子穿一次就抽丝", (Reason.quality_problem, None)),
        ("移动硬盘检测出坏道", (Reason.quality_problem, None)),
        ("键盘的空格键翘起来了", (Reason.quality_problem, None)),
        ("平板屏幕一直在闪", (Reason.quality_problem, None)),
        ("插上卡搜不到信号", (Reason.quality_problem, None)),
        ("新毛衣上有两个小洞", (Reason.quality_problem, None)),
        ("一袋里好几个坏的橙子", (Reason.quality_problem, SubReason.spoiled_or_expired)),
        ("屏幕很亮，信号也好", None),
    ],
)
def test_faults_named_in_more_buyers_words(text: str, rule: tuple[Reason, SubReason | None] | None) -> None:
    """Eighth round: 抽丝, 坏道, 翘起, a flickering screen, no signal, holes, bad fruit are defects
    or spoiled goods (`quality_problem`)."""
    assert decisive_reason(normalise(text)) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("页面写了有赠品，拆开箱子就没有", Reason.missing_items),
        ("送我的杯子呢？翻遍了", Reason.missing_items),
        ("送的杯子呢很好看", None),  # praise of the gift
        ("这件衣服是扎染的，很特别", None),  # a dye technique, not dye that runs
        ("穿了一天身上都染黑了", Reason.quality_problem),
    ],
)
def test_a_gift_asked_for_and_dye_that_runs(text: str, reason: Reason | None) -> None:
    """Eighth round: 有赠品…没有 and 送我的X呢 ask for a missing gift (`missing_items`); dye that
    stains the body (身上染黑) is a defect (`quality_problem`)."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("订了四盒茶叶，只寄来三盒", Reason.missing_items),
        ("一箱说好20个桃子给了16个", Reason.missing_items),
        ("只发了一件，另一件呢", Reason.missing_items),
        ("只给了一个好评，因为包装一般", None),  # a rating, not a count of goods
    ],
)
def test_part_of_the_order_sent_in_buyers_words(text: str, reason: Reason | None) -> None:
    """Eighth round: 只寄来三盒, 20个给了16个 name part of the order missing (`missing_items`)."""
    rule = decisive_reason(normalise(text))
    assert (rule[0] if rule else None) == reason
