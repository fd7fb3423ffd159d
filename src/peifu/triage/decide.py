"""From the model's probabilities and the decisive phrases to one suggestion with an honest confidence.

1. The reason: the first decisive phrase's (`peifu.domain.triage.DECISIVE`: 发错, 赠品没有,
   显示签收没收到, 漏了, 发霉 …), else the model's most likely reason (the `none` label aside).
2. The confidence: the probability that this reason is right, from a small logistic calibrator
   over six numbers — a phrase decided it; the phrase agrees with the model; the model's
   probability for the reason; the model's probability that the text has no after-sale reason;
   several phrases of different reasons fired (several complaints); the text's length. Its
   weights are fitted on the tuning samples of real reviews (every sample read for tuning; the
   validation sample `dev5` and any later held-out sample never) by `scripts/triage_calibrate.py`
   and kept in `data/calibration.json`, which names the model it belongs to.
3. For a person: a confidence below the calibration's threshold sends the text to a person —
   flagged as having no after-sale reason when the model's most likely label is `none` and no
   phrase decided. The threshold is chosen out of fold so that the answers kept are right 96 % of
   the time: a margin over the issue's 95 %, since a threshold chosen for exactly 95 % gave 91–95 %
   on fresh samples (leave-one-sample-out figures in `scripts/triage_crossval.py`).

The model's probabilities are used as they are: a label-shift correction towards the real reviews'
class priors (prior ratio or a learned per-label bias, fitted on the tuning samples) was tried in
the seventh round and lowered top-1 accuracy on the samples left out (`scripts/triage_crossval.py`).

Without a calibration file (or with one of another model) the confidence is the model's own
probability and the threshold `UNSURE_BELOW`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from peifu.domain.triage import DECISIVE, UNSURE_BELOW, SubReason, decisive_reason, fires, sub_reason_for
from peifu.domain.vocabulary import Reason
from peifu.triage.model import NO_REASON, data_dir

CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class Decision:
    reason: Reason
    confidence: float
    sub_reason: SubReason | None
    for_person: bool
    no_reason: bool  # the model reads no after-sale reason and no phrase decided one
    ranked: tuple[tuple[Reason, float], ...]  # the model's reasons, most likely first (no `none`)


def features(normal: str, probabilities: dict[str, float]) -> tuple[Reason, SubReason | None, list[float]]:
    """The reason chosen and the calibrator's inputs (see the module doc)."""
    rule = decisive_reason(normal)
    best = max((label for label in probabilities if label != NO_REASON), key=lambda label: probabilities[label])
    reason = rule[0] if rule else Reason(best)
    sub = rule[1] if rule else sub_reason_for(normal, reason)
    fired = len({r for r, _, pattern in DECISIVE if fires(pattern, normal, r)})
    return (
        reason,
        sub,
        [
            1.0 if rule else 0.0,
            1.0 if rule and str(rule[0]) == best else 0.0,
            probabilities.get(str(reason), 0.0),
            probabilities.get(NO_REASON, 0.0),
            1.0 if fired > 1 else 0.0,
            math.log(1 + len(normal)) / 5,
        ],
    )


@dataclass(frozen=True)
class Calibration:
    model: str  # the model it was fitted for
    coef: tuple[float, ...]
    intercept: float
    threshold: float


@lru_cache(maxsize=1)
def calibration() -> Calibration | None:
    try:
        data = json.loads((data_dir() / CALIBRATION_FILE).read_text(encoding="utf-8"))
        return Calibration(
            str(data["model"]),
            tuple(float(w) for w in data["coef"]),
            float(data["intercept"]),
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def person_threshold(model_name: str | None) -> float:
    """Below this confidence a suggestion of that model goes to a person."""
    cal = calibration()
    return cal.threshold if cal is not None and cal.model == model_name else UNSURE_BELOW


def decide(normal: str, probabilities: dict[str, float], model_name: str) -> Decision:
    reason, sub, x = features(normal, probabilities)
    cal = calibration()
    if cal is not None and cal.model == model_name and len(cal.coef) == len(x):
        z = cal.intercept + sum(w * v for w, v in zip(cal.coef, x, strict=True))
        confidence = 1 / (1 + math.exp(-z))
        threshold = cal.threshold
    else:
        confidence, threshold = probabilities.get(str(reason), 0.0), UNSURE_BELOW
    ranked = tuple(
        sorted(
            ((Reason(label), p) for label, p in probabilities.items() if label != NO_REASON),
            key=lambda rp: (-rp[1], rp[0]),
        )
    )
    top_label = max(probabilities, key=lambda label: probabilities[label])
    no_reason = x[0] == 0.0 and top_label == NO_REASON
    return Decision(reason, confidence, sub, confidence < threshold or no_reason, no_reason, ranked)
