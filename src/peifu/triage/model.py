"""The triage model: which after-sale reason a buyer's text is about, with probabilities.

Why this model. The texts are short (a sentence or two), in three writing systems, full of
shop slang (开胶, 起球, 色差) and noise (亲, order numbers, emoji). A linear model over sparse
TF-IDF features is the well-founded baseline for short-text classification with a few hundred
labelled examples: it trains in well under a second, is deterministic, needs no GPU or
downloaded weights, and its coefficients can be inspected. Two feature families are joined:

* character 1–3-grams within word boundaries of the normalised text — robust to jieba's
  segmentation mistakes, typos, and English morphology (peel/peeling);
* jieba words (and Latin words) as 1–2-grams — 不一样, "not received".

Multinomial logistic regression gives a probability for every reason; the top one is the
suggestion and its probability the confidence (docs/triage-evaluation.md shows how accuracy
tracks it). Classes are weighted by inverse frequency so rare reasons are not drowned.

The artifact. `peifu triage train` fits the model on all of src/peifu/triage/data/complaints.csv
and writes model.joblib (the fitted pipeline) and model.json (the data's SHA-256 and the
scikit-learn version) beside it, in the package. `load()` uses the artifact only when both still
match — a pickle from another scikit-learn version, or a model of other data, is never used —
and otherwise fits the same model from the shipped data in-process (deterministic, about a
second), so the model always loads offline. The artifact is read from the installed package
only, never from a path a caller supplies (unpickling runs code).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from peifu.domain.vocabulary import Reason
from peifu.triage.text import normalise, tokenize

log = logging.getLogger(__name__)

DATA_FILE = "complaints.csv"  # written by hand (see data/README.md)
GENERATED_FILE = "generated.csv"  # written by scripts/triage_make_data.py (provenance in its `source` column)
NO_REASON = "none"
"""The label of a text with no after-sale reason (venting, praise with a grumble): not a `Reason`."""
MODEL_FILE = "model.joblib"
META_FILE = "model.json"


@dataclass(frozen=True)
class Example:
    text: str
    reason: Reason | None  # None: the text has no after-sale reason (label `none`)
    language: str
    channel: str
    source: str = "handwritten"

    @property
    def label(self) -> str:
        return str(self.reason) if self.reason is not None else NO_REASON


def data_dir() -> Path:
    return Path(str(resources.files("peifu.triage") / "data"))


def data_files(directory: Path | None = None) -> list[Path]:
    directory = directory or data_dir()
    return [directory / DATA_FILE, directory / GENERATED_FILE]


def load_examples(directory: Path | None = None) -> list[Example]:
    """Every training row: the handwritten file, then the generated one."""
    return [e for path in data_files(directory) for e in load_examples_from(path)]


def load_examples_from(path: Path) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Example(
                row["text"],
                None if row["reason"] == NO_REASON else Reason(row["reason"]),
                row["language"],
                row["channel"],
                row.get("source") or "handwritten",
            )
            for row in csv.DictReader(fh)
        ]


def data_digest(directory: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in data_files(directory):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2)),
            (
                "words",
                TfidfVectorizer(
                    tokenizer=tokenize,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
        ]
    )
    model = LogisticRegression(C=2.0, max_iter=5000)
    return Pipeline([("features", features), ("model", model)])


def fit(examples: list[Example]) -> Pipeline:
    pipeline = build_pipeline()
    pipeline.fit([normalise(e.text) for e in examples], [e.label for e in examples])
    return pipeline


@dataclass(frozen=True)
class Model:
    pipeline: Pipeline
    name: str  # e.g. "triage-3f2a9c1b-skl1.9.1"
    source: str = "fitted"  # "artifact" when read from model.joblib, "fitted" when fitted in this process

    @property
    def classes(self) -> list[str]:
        """The labels: every `Reason` value and `NO_REASON`."""
        return [str(c) for c in self.pipeline.classes_]

    def probabilities(self, normalised_text: str) -> list[tuple[str, float]]:
        """Every label (the reasons and `NO_REASON`) with its probability, most likely first.

        The same numbers as `pipeline.predict_proba` (multinomial softmax over the joined TF-IDF
        features), computed directly from the fitted vocabularies, idf weights and coefficients:
        scikit-learn's per-call input validation is most of the time for one short text (a test
        compares the two)."""
        z = self._intercept.copy()
        for analyzer, vocabulary, idf, offset in self._parts:
            counts: dict[int, int] = {}
            for term in analyzer(normalised_text):
                index = vocabulary.get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            indices = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[indices]
            values /= np.sqrt(values @ values)  # each vectorizer's row is L2-normalised (norm="l2")
            z += values @ self._weights[indices + offset]
        z = np.exp(z - z.max())
        z /= z.sum()
        return sorted(zip(self.classes, (float(p) for p in z), strict=True), key=lambda rp: (-rp[1], rp[0]))

    @cached_property
    def _parts(self) -> list[tuple[Any, dict[str, int], Any, int]]:
        """Per vectorizer: its analyzer, vocabulary, idf weights and the offset of its columns."""
        parts, offset = [], 0
        for _, vectorizer in self.pipeline.named_steps["features"].transformer_list:
            if not (vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"):
                raise ValueError("the direct scoring assumes sublinear tf, idf and L2 norm")
            parts.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        return parts

    @cached_property
    def _weights(self) -> Any:
        return np.ascontiguousarray(self.pipeline.named_steps["model"].coef_.T)

    @cached_property
    def _intercept(self) -> Any:
        return np.asarray(self.pipeline.named_steps["model"].intercept_, dtype=float)


def model_name(digest: str) -> str:
    return f"triage-{digest[:8]}-skl{sklearn.__version__}"


def train(directory: Path | None = None) -> dict[str, Any]:
    """Fit on all the shipped data and write the artifact; returns what model.json says."""
    directory = directory or data_dir()
    examples = load_examples(directory)
    pipeline = fit(examples)
    digest = data_digest(directory)
    meta = {
        "data_sha256": digest,
        "examples": len(examples),
        "sklearn": sklearn.__version__,
        "name": model_name(digest),
    }
    joblib.dump(pipeline, directory / MODEL_FILE, compress=3)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


_lock = threading.Lock()
_model: Model | None = None


def load() -> Model:
    """The model, loaded once per process (see the module doc for when the artifact is used)."""
    global _model
    with _lock:
        if _model is None:
            _model = _load_or_fit()
        return _model


def _load_or_fit() -> Model:
    directory = data_dir()
    digest = data_digest(directory)
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    if meta.get("data_sha256") == digest and meta.get("sklearn") == sklearn.__version__:
        try:
            return Model(joblib.load(directory / MODEL_FILE), model_name(digest), "artifact")
        except Exception:  # a damaged artifact: fall through and fit
            log.warning("triage model artifact unreadable; fitting from the shipped data", exc_info=True)
    else:
        log.info("triage model artifact does not match the data or scikit-learn version; fitting in-process")
    return Model(fit(load_examples(directory)), model_name(digest))
