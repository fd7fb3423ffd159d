"""Triage that reads real buyers (issue 20): the labelled random samples of real reviews (row numbers
and labels only, joined with ../shared/data at run time), the sub-reasons and their reasons of
record through a whole request, the issue's typical misses, and texts with no after-sale reason.

Here: the rules alone, no database (through the database: tests/api/test_triage_real.py)."""

from __future__ import annotations

import csv

import pytest

from peifu.domain.policy import default_policy
from peifu.domain.triage import DECISIVE, SUB_REASON_OF, Signal, SubReason, fires
from peifu.domain.vocabulary import Reason
from peifu.services import triage as triage_service
from peifu.triage import real
from peifu.triage.model import NO_REASON, data_dir, load_examples
from peifu.triage.text import normalise

pytestmark = pytest.mark.slow  # not in `make test-fast`; always in `make test`

LABELS = {str(r) for r in Reason} | {NO_REASON}


def _reviews_or_skip() -> None:
    try:
        real.reviews_path()
    except real.ReviewsMissing as exc:
        pytest.skip(f"real-text evaluation skipped: {exc}")


def test_the_samples_are_row_numbers_and_labels_only_disjoint_and_complete() -> None:
    splits = {}
    for split, name in real.LABEL_FILES.items():
        with (data_dir() / name).open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            assert next(reader) == ["row", "label"], name  # no text column, ever
            rows = list(reader)
        assert all(len(r) == 2 and r[0].isdigit() and r[1] in LABELS for r in rows), name
        splits[split] = [r[0] for r in rows]
        assert len(set(splits[split])) == len(splits[split])
    assert len(splits["test"]) >= 500 and len(splits["dev"]) >= 300 and len(splits["dev2"]) >= 300
    assert len(set().union(*splits.values())) == sum(len(rows) for rows in splits.values())  # disjoint
    assert not set(splits["test"]) & set(splits["dev"])
    assert not set(splits["test"]) & set(splits["dev2"]) and not set(splits["dev"]) & set(splits["dev2"])


def test_no_real_text_is_in_the_training_data() -> None:
    _reviews_or_skip()
    training = {normalise(e.text) for e in load_examples()}
    for split in real.LABEL_FILES:
        for _, text, _ in real.load_sample(split):
            assert normalise(text) not in training


def test_no_training_text_shares_a_run_of_14_characters_with_a_shared_review() -> None:
    """The shared reviews may not be copied into the project: no training text (hand-written or
    generated) shares 14 characters in a row (normalised, spaces dropped) with any of the 25,586
    reviews — not only the sampled ones. A copied or lightly edited review would (today the longest
    shared runs are common phrases of 12, such as a comparison with a physical shop)."""
    _reviews_or_skip()
    run = 14

    def runs(text: str) -> set[str]:
        flat = "".join(ch for ch in normalise(text) if not ch.isspace())
        return {flat[i : i + run] for i in range(len(flat) - run + 1)}

    training: set[str] = set()
    for example in load_examples():
        training |= runs(example.text)
    with real.reviews_path().open(encoding="utf-8", newline="") as fh:
        shared = [row["row"] for row in csv.DictReader(fh) if runs(row["text"]) & training]
    assert shared == [], f"training texts share {run} characters in a row with shared rows {shared[:10]}"


def test_the_samples_are_a_random_draw_not_picked_by_keyword() -> None:
    """The test rows are exactly `random.Random(20261203).sample(rows, 520)` in draw order."""
    _reviews_or_skip()
    import random

    with real.reviews_path().open(encoding="utf-8", newline="") as fh:
        rows = [row["row"] for row in csv.DictReader(fh)]
    drawn = random.Random(20261203).sample(rows, 520)
    assert [row for row, _ in real.load_labels("test")] == drawn
    # each later sample: drawn, in draw order, from the rows in none of the samples before it
    used = {row for split in ("test", "dev") for row, _ in real.load_labels(split)}
    for split, seed, size in LATER_DRAWS:
        rest = [row for row in rows if row not in used]
        drawn = [row for row, _ in real.load_labels(split)]
        assert drawn == random.Random(seed).sample(rest, size), split
        used |= set(drawn)


LATER_DRAWS = (
    ("dev2", 20261204, 300),
    ("dev3", 20261205, 300),
    ("dev4", 20261206, 200),
    ("dev5", 20261207, 200),
    ("test2", 20261208, 600),  # 2026-12-04: the fifth round's judge
    ("dev6", 20261209, 200),
    ("test3", 20261210, 600),  # 2026-12-04: the sixth round's judge
    ("test4", 20261211, 600),  # 2026-12-04: the seventh round's judge
    ("test5", 20261213, 600),  # 2026-12-04: the eighth round's judge
    ("test6", 20261214, 600),  # 2026-12-04: the eighth round's second judge
)


@pytest.mark.parametrize("split", sorted(real.SECOND_READER_FILES))
def test_the_fresh_samples_were_read_twice_independently(split: str) -> None:
    """The second reader labelled exactly the same rows; the readers agree on most of them (the
    figure and Cohen's kappa are in docs/triage-evaluation.md)."""
    first = [row for row, _ in real.load_labels(split)]
    second = real.load_second_reader(split)
    assert list(second) == first and set(second.values()) <= LABELS
    n, same, kappa = real.agreement(split)
    assert n == 600 and same / n >= 0.7 and kappa >= 0.6, (same, kappa)


@pytest.mark.parametrize("split", sorted(real.HANDWRITTEN_FILES))
def test_the_hand_written_test_sets_are_labelled_and_never_trained_on(split: str) -> None:
    sample = real.load_handwritten(split)
    assert len(sample) >= 150 and all(label in LABELS for _, _, label in sample)
    assert sum(label == NO_REASON for _, _, label in sample) >= 30
    assert len({normalise(text) for _, text, _ in sample}) == len(sample)  # no text twice
    training = {normalise(e.text) for e in load_examples()}
    assert not [text for _, text, _ in sample if normalise(text) in training]


def test_the_shipped_calibration_belongs_to_the_shipped_model() -> None:
    """Otherwise the confidence silently falls back to the model's own probability."""
    import json

    from peifu.triage.decide import calibration
    from peifu.triage.model import META_FILE

    cal = calibration()
    assert cal is not None, "run scripts/triage_calibrate.py after `peifu triage train`"
    shipped = json.loads((data_dir() / META_FILE).read_text(encoding="utf-8"))["name"]
    assert cal.model == shipped and 0.5 <= cal.threshold < 1
    assert len(cal.coef) == 6


def test_the_calibration_keeps_its_margin_and_never_sees_the_validation_sample() -> None:
    """The threshold is chosen out of fold for 97 % right, not 95 %: chosen for 95 % and 96 %, it gave
    91–95 % on fresh samples (scripts/triage_calibrate.py, scripts/triage_crossval.py). dev5 stays out,
    and so does the held-out judge."""
    import json

    from peifu.triage.decide import CALIBRATION_FILE

    data = json.loads((data_dir() / CALIBRATION_FILE).read_text(encoding="utf-8"))
    assert data["precision_target"] >= 0.97
    assert "dev5" not in data["fitted_on"] and "test4" in data["fitted_on"]
    assert not [split for split in real.HELD_OUT_SPLITS if split in data["fitted_on"]]
    oof = data["out_of_fold_at_threshold"]
    assert oof["of"] >= 3600 and oof["answered"] >= 400  # the margin costs coverage, not all of it
    assert oof["right"] >= data["precision_target"] * oof["answered"]


def test_on_real_reviews_confident_answers_stay_right_and_accuracy_keeps_its_floor() -> None:
    """The samples scored whole (docs/triage-evaluation.md). test5 and test6, the blind draws that
    judged the eighth round (two readers each, never tuned on): top-1 77.0 % and 73.2 %, 67 of 72 and
    65 of 71 answers right — both of the issue's targets (85 %, 95 %) missed. dev5, the validation sample (never read, never calibrated
    on): 85.7 %, 25 of 26 right. test4, test3, test and test2 (earlier judges, tuned on since): 83.6 %,
    85.0 %, 87.7 %, 84.0 %. The floors sit a little under the measured figures, so that a change which
    makes the triage worse on real text fails here."""
    _reviews_or_skip()
    fresh = triage_service.evaluate_real(split="test5")
    assert fresh.texts == 600
    assert fresh.top1_accuracy >= 0.75, fresh.top1_accuracy
    assert fresh.confident_error_rate <= 0.09 and fresh.confident >= 55, (fresh.confident_wrong, fresh.confident)
    assert fresh.agreed_with_reason >= 300 and fresh.agreed_top1_accuracy >= 0.78
    second = triage_service.evaluate_real(split="test6")
    assert second.texts == 600 and second.top1_accuracy >= 0.71, second.top1_accuracy
    assert second.confident_error_rate <= 0.11 and second.confident >= 55, (second.confident_wrong, second.confident)
    assert second.agreed_with_reason >= 280 and second.agreed_top1_accuracy >= 0.74
    validation = triage_service.evaluate_real(split="dev5")
    assert validation.texts == 200
    assert validation.top1_accuracy >= 0.83, validation.top1_accuracy
    assert validation.confident >= 18 and validation.confident_error_rate <= 0.06, (
        validation.confident_wrong,
        validation.confident,
    )
    tuned = {split: triage_service.evaluate_real(split=split) for split in ("test4", "test3", "test", "test2")}
    for split, floor in (("test4", 0.82), ("test3", 0.83), ("test", 0.86), ("test2", 0.82)):
        run = tuned[split]
        assert run.top1_accuracy >= floor, (split, run.top1_accuracy)
        assert run.confident >= 55 and run.confident_error_rate <= 0.06, (split, run.confident_wrong, run.confident)
    for run in (fresh, second, validation, *tuned.values()):
        assert run.calibration_error <= 0.06, run.calibration_error
        assert run.none_for_person >= 0.95 * run.none_texts  # texts without a reason go to a person
        assert run.cpu_ms_per_text < 5, run.cpu_ms_per_text  # the issue's budget, in this process's CPU time
        assert run.ms_per_text < 100  # wall clock: a sanity bound only, the machine is shared


def test_the_same_targets_on_traditional_chinese_and_english() -> None:
    """Hand-written test sets, not real buyers' text (none is reachable; see the docs), never trained
    on: traditional Chinese written natively (86.7 %, 44 of 45 answers right) and two English sets
    (85.5 % and 88.9 %, every answer right); and the fresh real rows (test5) converted to traditional."""
    for split, script, floor in (
        ("zh-Hant-handwritten", "zh-Hant", 0.84),
        ("en-handwritten2", "en", 0.83),
        ("en-handwritten", "en", 0.84),
    ):
        run = triage_service.evaluate_real(split=split, script=script)
        assert run.top1_accuracy >= floor, (split, run.top1_accuracy)
        assert run.confident_error_rate <= 0.05 and run.confident >= 5, split
        assert run.none_for_person >= run.none_texts - 1, split
    _reviews_or_skip()
    hant = triage_service.evaluate_real(split="test5", script="zh-Hant")
    assert hant.confident_error_rate <= 0.09 and hant.confident >= 55
    assert hant.top1_accuracy >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "这本书的内容太无聊了，看了几页就不想看了",
        "一般般吧，不推荐",
        "东西还行，就是快递太慢了",
        "Meh. The story was boring.",
    ],
)
def test_a_text_with_no_after_sale_reason_goes_to_a_person(text: str) -> None:
    result = triage_service.triage(text)
    assert result.for_person
    assert Signal.no_after_sale_reason in result.signals or Signal.unsure_reason in result.signals


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("拍下五天了店家还没发货，差评", Reason.late_shipment),
        ("收到的时候瓶子碎了，洗衣液漏了一箱子", Reason.damaged),
        ("等了三天卖家说没货了，直接把订单取消了，一句解释都没有", Reason.out_of_stock),
        ("物流显示已签收，可我根本没收到包裹", Reason.not_received),
        ("我要的是蓝色的，寄过来的却是灰色的", Reason.wrong_item),
        ("不想要了，打开一看橙子全都发霉了", Reason.quality_problem),
        ("The kettle stopped working after two days.", Reason.quality_problem),
        ("页面写着送保温杯，收到了只有锅没有赠品", Reason.missing_items),
        ("差评！！一星都不想给，屏幕用了三天就黑屏了，客服还不理人", Reason.quality_problem),
        ("都一个月了还没收到发票，客服一直推", Reason.invoice_problem),
    ],
)
def test_the_issues_typical_misses(text: str, reason: Reason) -> None:
    assert triage_service.triage(text).reason is reason


SUB_TEXTS: dict[SubReason, tuple[str, str]] = {
    SubReason.used_or_refurbished: ("说是全新的，收到的明显是翻新机，有使用痕迹", "return_and_refund"),
    SubReason.gift_or_accessory: ("说好的赠品没有收到", "reship"),
    SubReason.spoiled_or_expired: ("收到的芒果一半都腐烂发霉了", "refund_only"),
    SubReason.courier_after_dispatch: ("快递显示已签收，但我没收到货", "refund_only"),
    SubReason.price_protection: ("刚买第二天就降价了一百块，申请价保", "partial_refund"),
    SubReason.size_fit: ("按尺码表买的，尺码偏小两个码根本穿不上", "return_and_refund"),
}


def test_a_promise_not_kept_is_no_claim_against_reality() -> None:
    """说好的…收到 contrasts a claim with what came (说好的纯棉，收到是化纤); 说好的赠品没有收到 says
    something did not come: only the missing-item phrase fires, so the text is not read as naming
    several reasons (which lowers the confidence)."""

    def fired(text: str) -> set[Reason]:
        return {reason for reason, _, pattern in DECISIVE if fires(pattern, normalise(text), reason)}

    assert fired("说好的赠品没有收到") == {Reason.missing_items}
    assert Reason.not_as_described in fired("说好的纯棉，收到是化纤")


def test_the_policy_files_every_sub_reason_under_the_reason_the_triage_uses() -> None:
    rules = default_policy().sub_reasons
    assert set(SUB_TEXTS) == set(SubReason) == set(SUB_REASON_OF)
    for sub, reason in SUB_REASON_OF.items():
        rule_of = getattr(rules, str(sub))
        assert rule_of.value is reason and len(rule_of.source) > 20, sub


def test_the_direct_scoring_gives_the_pipelines_probabilities() -> None:
    """`Model.probabilities` skips scikit-learn's per-call validation (most of the time per text)
    but must give `predict_proba`'s numbers."""
    from peifu.triage.model import load

    model = load()
    for text in [
        "收到的时候瓶子碎了，洗衣液漏了一箱子",
        "The kettle stopped working after two days.",
        "一般般吧",
        "！！",
    ]:
        normal = normalise(text)
        direct = dict(model.probabilities(normal))
        expected = dict(zip(model.pipeline.classes_, model.pipeline.predict_proba([normal])[0], strict=True))
        assert max(abs(direct[str(label)] - p) for label, p in expected.items()) < 1e-9
