"""How well the triage model does on text it has not seen: a held-out split and cross-validation.

`evaluate()` splits the shipped data once — stratified by reason, 25 % held out, a fixed seed —
fits the model on the rest and scores the held-out part: accuracy, macro F1, precision, recall
and F1 per reason, accuracy per language, the most frequent confusions, and accuracy by
confidence band (so that a queue knows how far to trust a suggestion). A 5-fold stratified
cross-validation over all the data shows how stable those figures are. `report_markdown()`
writes it all as docs/triage-evaluation.md (`peifu triage evaluate`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, train_test_split

from peifu.domain.vocabulary import Reason
from peifu.triage.model import NO_REASON, Example, fit, load_examples
from peifu.triage.text import normalise

SEED = 20261126
TEST_SHARE = 0.25
FOLDS = 5
BANDS = ((0.0, 0.35), (0.35, 0.5), (0.5, 0.7), (0.7, 1.01))


@dataclass
class ReasonScore:
    reason: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Evaluation:
    examples: int
    train: int
    test: int
    accuracy: float
    macro_f1: float
    per_reason: list[ReasonScore]
    per_language: dict[str, tuple[float, int]]
    confusions: list[tuple[str, str, int]]
    bands: list[tuple[str, float, int]]
    cv_scores: list[float] = field(default_factory=list)
    by_language_count: dict[str, int] = field(default_factory=dict)
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def cv_mean(self) -> float:
        return sum(self.cv_scores) / len(self.cv_scores) if self.cv_scores else 0.0


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """The fixed held-out split: stratified by reason, `TEST_SHARE` held out, seed `SEED`."""
    train, test = train_test_split(
        examples, test_size=TEST_SHARE, random_state=SEED, stratify=[e.label for e in examples]
    )
    return list(train), list(test)


def evaluate(examples: list[Example] | None = None, *, folds: int = FOLDS) -> Evaluation:
    examples = examples or load_examples()
    train, test = split(examples)
    pipeline = fit(train)
    texts = [normalise(e.text) for e in test]
    truth = [e.label for e in test]
    probabilities = pipeline.predict_proba(texts)
    classes = list(pipeline.classes_)
    predicted = [classes[int(row.argmax())] for row in probabilities]
    confidence = [float(row.max()) for row in probabilities]

    labels = [str(r) for r in Reason] + [NO_REASON]
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    per_reason = [
        ReasonScore(label, float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    ]
    per_language: dict[str, tuple[float, int]] = {}
    for language in sorted({e.language for e in test}):
        idx = [i for i, e in enumerate(test) if e.language == language]
        per_language[language] = (sum(truth[i] == predicted[i] for i in idx) / len(idx), len(idx))
    confusions = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    bands = []
    for low, high in BANDS:
        idx = [i for i, c in enumerate(confidence) if low <= c < high]
        right = sum(truth[i] == predicted[i] for i in idx)
        bands.append((f"{low:.2f}–{min(high, 1.0):.2f}", right / len(idx) if idx else 0.0, len(idx)))
    mistakes = [(test[i].text, truth[i], predicted[i]) for i in range(len(test)) if truth[i] != predicted[i]]

    cv_scores: list[float] = []
    if folds > 1:
        y = [e.label for e in examples]
        for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(examples, y):
            model = fit([examples[i] for i in train_idx])
            guesses = model.predict([normalise(examples[i].text) for i in test_idx])
            cv_scores.append(float(accuracy_score([y[i] for i in test_idx], guesses)))

    return Evaluation(
        examples=len(examples),
        train=len(train),
        test=len(test),
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
        per_reason=per_reason,
        per_language=per_language,
        confusions=[(t, p, n) for (t, p), n in confusions.most_common(8)],
        bands=bands,
        cv_scores=cv_scores,
        by_language_count=dict(sorted(Counter(e.language for e in examples).items())),
        mistakes=mistakes,
    )


def report_markdown(ev: Evaluation, *, model_name: str) -> str:
    lines = [
        "# Complaint triage — evaluation",
        "",
        "Written by `peifu triage evaluate` (do not edit by hand). The model and the rules are described in",
        "`src/peifu/triage/model.py` and `src/peifu/domain/triage.py`; the data is",
        "`src/peifu/triage/data/complaints.csv` (handwritten) and `generated.csv` (written by",
        "`scripts/triage_make_data.py`; see the data README). The suggestion's confidence is calibrated",
        "on real reviews (`src/peifu/triage/decide.py`); the real-text results come first, then the",
        "held-out split of the project's own data — easy for the model, since the generated texts share",
        "their templates across the split: read it as a check that nothing broke, not as the accuracy buyers get.",
        "",
        f"- Examples: **{ev.examples}** ("
        + ", ".join(f"{lang} {n}" for lang, n in ev.by_language_count.items())
        + "), 14 reasons and `none` (no after-sale reason).",
        f"- Held-out split: stratified by reason, {int(TEST_SHARE * 100)} % held out, seed {SEED}:"
        f" {ev.train} to train, {ev.test} to test.",
        f"- Model shipped: `{model_name}` (fitted on all {ev.examples} examples) as package data",
        "  (`model.joblib` + `model.json`). It is used only when the data's SHA-256 and the scikit-learn",
        "  version match the running ones; otherwise the same model is fitted from the CSV in-process at",
        "  first use (deterministic; about a minute on the shared 2-core machine). Either way it loads offline.",
        "",
        "## Held-out results",
        "",
        f"- **Accuracy {ev.accuracy:.1%}**, macro F1 {ev.macro_f1:.3f}.",
        f"- {FOLDS}-fold stratified cross-validation accuracy: **{ev.cv_mean:.1%}** "
        f"(folds: {', '.join(f'{s:.1%}' for s in ev.cv_scores)}).",
        "",
        "| reason | precision | recall | F1 | held-out examples |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {r.reason} | {r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} | {r.support} |" for r in ev.per_reason]
    lines += ["", "### By language", "", "| language | accuracy | held-out examples |", "|---|---:|---:|"]
    lines += [f"| {lang} | {acc:.1%} | {n} |" for lang, (acc, n) in ev.per_language.items()]
    lines += [
        "",
        "### Accuracy by confidence",
        "",
        "How often the model's own top label is right, by its probability (the API reports the",
        "calibrated confidence instead; see the real-text calibration above).",
        "",
        "| confidence | accuracy | held-out examples |",
        "|---|---:|---:|",
    ]
    lines += [f"| {band} | {acc:.1%} | {n} |" for band, acc, n in ev.bands]
    lines += ["", "### Most frequent confusions", "", "| true reason | suggested | count |", "|---|---|---:|"]
    lines += [f"| {t} | {p} | {n} |" for t, p, n in ev.confusions]
    lines += ["", "### Every held-out mistake", "", "| text | true reason | suggested |", "|---|---|---|"]
    lines += [f"| {text.replace('|', '/')} | {t} | {p} |" for text, t, p in ev.mistakes]
    lines += [
        "",
        "## Reading these figures",
        "",
        "- The training data is written by the project in the voices buyers use (forms, chat, phone notes,",
        "  e-mail, reviews), not mined from a live marketplace. The real-text figures above are the ones to",
        "  quote; the held-out figures here are far higher because generated texts share templates across the",
        "  split. Retrain with real, labelled requests as they accumulate (append rows to the CSV, run",
        "  `peifu triage train`, `scripts/triage_calibrate.py` and `peifu triage evaluate --real`).",
        "- Most traditional-Chinese rows are adaptations (with Taiwan/Hong Kong wording) of situations also",
        "  written in simplified, so after the conversion to simplified the model has seen close relatives",
        "  of them: the zh-Hant figure is optimistic. English is the weakest language (fewer rows, more",
        "  paraphrase); a low confidence there is common and the rules treat it as a guess.",
        "- Confusions cluster where the reasons overlap in the seeds themselves: quality_problem vs",
        "  not_as_described vs damaged (seed 004: 质量问题不等于假货, and a defect may be in the description),",
        "  no_longer_wanted vs seven_day_no_reason (the same wish before and after receipt) — the buyer's",
        "  chosen reason stays the reason of record; triage only advises and routes.",
        "- The case type and the priority are rules (`peifu.domain.triage`), tested in tests/domain/test_triage.py.",
        "",
    ]
    return "\n".join(lines)
