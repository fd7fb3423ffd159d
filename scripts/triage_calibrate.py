"""Fit the triage's confidence calibrator on the *dev* sample of real reviews; write data/calibration.json.

Run after `peifu triage train` (the calibration names the model it was fitted for, and is ignored by
any other): `.venv/bin/python scripts/triage_calibrate.py`. It reads the real reviews from
../shared/data at run time (see `peifu.triage.real`); only the dev rows are used — the test
sample stays unseen. Deterministic (liblinear-free lbfgs on fixed data).

Threshold: the smallest confidence (0.50, 0.51, … 0.99) at which at most `WRONG_BUDGET` of the dev
texts get a confident wrong answer (a reason given to a text with another reason or none). The
precision of the confident answers that results is reported by `peifu triage evaluate --real`.
"""

from __future__ import annotations

import json

from sklearn.linear_model import LogisticRegression

from peifu.triage.decide import CALIBRATION_FILE, features
from peifu.triage.model import data_dir, load
from peifu.triage.real import load_sample
from peifu.triage.text import normalise

WRONG_BUDGET = 0.04
"""At most this share of the dev texts may get a confident wrong answer (the issue's budget is 5 %)."""


def main() -> None:
    model = load()
    rows = load_sample("dev")
    xs, ys = [], []
    for _, text, label in rows:
        normal = normalise(text)
        reason, _, x = features(normal, dict(model.probabilities(normal)))
        xs.append(x)
        ys.append(1 if str(reason) == label else 0)
    calibrator = LogisticRegression(C=1.0).fit(xs, ys)
    confidence = calibrator.predict_proba(xs)[:, 1]
    threshold = 0.99
    for step in range(50, 100):  # the smallest threshold whose confident-and-wrong share is within budget
        t = step / 100
        wrong = sum(1 for c, y in zip(confidence, ys, strict=True) if c >= t and not y)
        if wrong <= WRONG_BUDGET * len(ys):
            threshold = t
            break
    out = {
        "model": model.name,
        "fitted_on": f"dev sample ({len(rows)} rows of ../shared/data/shopper-reviews-negative.csv)",
        "features": [
            "phrase decided",
            "phrase agrees with the model",
            "model p(reason)",
            "model p(none)",
            "several reasons named",
            "log(1+length)/5",
        ],
        "coef": [round(float(w), 6) for w in calibrator.coef_[0]],
        "intercept": round(float(calibrator.intercept_[0]), 6),
        "threshold": threshold,
        "wrong_budget": WRONG_BUDGET,
    }
    (data_dir() / CALIBRATION_FILE).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
