"""Leave-one-sample-out cross-validation of the triage's choices over the tuning samples of real reviews.

Run after `peifu triage train` (it scores the model that `load()` gives):
`.venv/bin/python scripts/triage_crossval.py`. It reads the real reviews from ../shared/data at run time
(see `peifu.triage.real`) and prints per-sample numbers only (no text); it writes nothing.
Deterministic (the same folds and solvers as `scripts/triage_calibrate.py`).

For each tuning sample in turn (`CALIBRATION_SPLITS` of triage_calibrate.py; `dev5`, the validation sample,
is never read), everything fitted on real reviews is fitted on the *other* samples and the one left out
is scored, so a choice is judged on samples it was not fitted on — the honest stand-in for a fresh sample:

1. **The threshold rule** (`calibrator`): the calibrator and its threshold (`triage_calibrate.fit`) for
   several precision targets; answered and wrong among the answers on the samples left out. This chose
   `PRECISION_TARGET` (see triage_calibrate.py).
2. **Label shift** (`shift`): the real reviews' reasons are far from the training data's balance (about
   half of the real texts with a reason are `quality_problem`). Three corrections of the model's
   probabilities before the argmax, for texts no decisive phrase decides: the prior ratio
   (log real prior − log training prior per label, the real prior counted on the other samples, add-one
   smoothed), the same at half strength, and a per-label bias learned by maximum likelihood on the other
   samples' texts with a reason and no decisive phrase (L2-penalised). Top-1 accuracy on texts with a
   reason, summed over the samples left out. Seventh round (model triage-2069180a): no correction
   helped — 1,402 of 1,689 without, 1,392 with the prior ratio, 1,395 at half strength, 1,390–1,395 with
   the learned bias — so none is applied: the model's errors on real text are between overlapping
   reasons (quality_problem ↔ not_as_described, 86 of 287 misses), not a shift of the priors.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))

from triage_calibrate import CALIBRATION_SPLITS, fit

from peifu.triage.decide import features
from peifu.triage.model import NO_REASON, load, load_examples
from peifu.triage.real import load_sample
from peifu.triage.text import normalise

TARGETS = (0.95, 0.955, 0.96, 0.97)


def _rows(model: object) -> dict[str, list[tuple[str, dict[str, float], str]]]:
    """Per tuning sample: (normalised text, the model's probabilities, label) — kept in memory only."""
    out = {}
    for split in CALIBRATION_SPLITS:
        out[split] = []
        for _, text, label in load_sample(split):
            normal = normalise(text)
            out[split].append((normal, dict(model.probabilities(normal)), label))  # type: ignore[attr-defined]
    return out


def calibrator_rule(samples: dict[str, list[tuple[str, dict[str, float], str]]]) -> None:
    per_sample: dict[str, list[tuple[list[float], int, str]]] = {}
    for split, rows in samples.items():
        per_sample[split] = []
        for normal, probabilities, label in rows:
            reason, _, x = features(normal, probabilities)
            per_sample[split].append((x, 1 if str(reason) == label else 0, label))
    for target in TARGETS:
        total, cells = Counter(), []
        for held in CALIBRATION_SPLITS:
            rest = [row for split in CALIBRATION_SPLITS if split != held for row in per_sample[split]]
            calibrator, threshold, _, _ = fit(
                np.array([x for x, _, _ in rest]), np.array([y for _, y, _ in rest]), target
            )
            x_held = np.array([x for x, _, _ in per_sample[held]])
            confidence = calibrator.predict_proba(x_held)[:, 1]
            answered = wrong = 0
            for (x, right, _label), c, (_, probabilities, _) in zip(
                per_sample[held], confidence, samples[held], strict=True
            ):
                no_reason = x[0] == 0.0 and max(probabilities, key=lambda k: probabilities[k]) == NO_REASON
                if c >= threshold and not no_reason:
                    answered += 1
                    wrong += 1 - right
            total.update(answered=answered, wrong=wrong)
            cells.append(f"{held} {answered - wrong}/{answered} @{threshold:.3f}")
        n, w = total["answered"], total["wrong"]
        print(f"target {target}: answered {n}, wrong {w}, right {(n - w) / max(1, n):.1%} | " + "; ".join(cells))


def _adjusted(probabilities: dict[str, float], bias: dict[str, float]) -> dict[str, float]:
    z = {k: np.log(max(p, 1e-12)) + bias.get(k, 0.0) for k, p in probabilities.items()}
    top = max(z.values())
    e = {k: float(np.exp(v - top)) for k, v in z.items()}
    s = sum(e.values())
    return {k: v / s for k, v in e.items()}


def _prior_ratio(rest: list[tuple[str, dict[str, float], str]], strength: float) -> dict[str, float]:
    train = Counter(e.label for e in load_examples())
    real = Counter(label for _, _, label in rest)
    labels = sorted(train)
    n_train, n_real = sum(train.values()), sum(real[k] + 1 for k in labels)
    return {k: strength * (np.log((real[k] + 1) / n_real) - np.log(train[k] / n_train)) for k in labels}


def _learned(rest: list[tuple[str, dict[str, float], str]], penalty: float = 10.0) -> dict[str, float]:
    rows = [(n, p, label) for n, p, label in rest if label != NO_REASON and features(n, p)[2][0] == 0.0]
    labels = sorted(k for k in rest[0][1] if k != NO_REASON)
    logp = np.log(np.clip(np.array([[p[k] for k in labels] for _, p, _ in rows]), 1e-12, None))
    y = np.array([labels.index(label) for _, _, label in rows])

    def loss(b: np.ndarray) -> float:
        z = logp + b
        top = z.max(1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(z - top).sum(1))
        return float((lse - z[np.arange(len(y)), y]).sum() + penalty * (b @ b))

    b = minimize(loss, np.zeros(len(labels)), method="L-BFGS-B").x
    return dict(zip(labels, (float(v) for v in b), strict=True))


def label_shift(samples: dict[str, list[tuple[str, dict[str, float], str]]]) -> None:
    corrections: dict[str, Callable[[list[tuple[str, dict[str, float], str]]], dict[str, float]]] = {
        "none": lambda rest: {},
        "prior ratio": lambda rest: _prior_ratio(rest, 1.0),
        "prior ratio, half": lambda rest: _prior_ratio(rest, 0.5),
        "learned bias": _learned,
    }
    for name, correction in corrections.items():
        right = total = 0
        cells = []
        for held in CALIBRATION_SPLITS:
            bias = correction([row for split in CALIBRATION_SPLITS if split != held for row in samples[split]])
            k = n = 0
            for normal, probabilities, label in samples[held]:
                if label == NO_REASON:
                    continue
                reason, _, _ = features(normal, _adjusted(probabilities, bias))
                k, n = k + (str(reason) == label), n + 1
            right, total = right + k, total + n
            cells.append(f"{held} {k}/{n}")
        print(f"label shift {name}: top-1 {right}/{total} ({right / total:.1%}) | " + "; ".join(cells))


def main() -> None:
    model = load()
    print(f"model {model.name}; samples {', '.join(CALIBRATION_SPLITS)} (each left out in turn)")
    samples = _rows(model)
    calibrator_rule(samples)
    label_shift(samples)


if __name__ == "__main__":
    main()
