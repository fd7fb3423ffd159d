"""Fit the triage's confidence calibrator on the *dev* samples of real reviews; write data/calibration.json.

Run after `peifu triage train` (the calibration names the model it was fitted for, and is ignored by
any other): `.venv/bin/python scripts/triage_calibrate.py`. It reads the real reviews from
../shared/data at run time (see `peifu.triage.real`); only the dev rows of `CALIBRATION_SPLITS` are used
(`dev` … `dev4` and, since the sixth round, `test2`: 1,700 rows together; issue 20, fifth round: `dev5` and
`dev6` are kept out, so that they stay fair validation samples for the calibrated answers) — the first test
sample and any later held-out sample stay unseen. Deterministic
(lbfgs on fixed data, fixed folds).

The calibrator is a logistic regression (Platt scaling over the six numbers of
`peifu.triage.decide.features`), fitted on every dev row. The threshold under which a text goes to a
person is chosen on *out-of-fold* confidences (5 folds × 3 shuffles, each row scored by calibrators
that did not see it), so that the choice is not flattered by the rows the calibrator was fitted on:
the smallest confidence (0.50, 0.51, … 0.99) at which the answers kept are right at least
`PRECISION_TARGET` of the time (a reason given to a text with another reason or none is wrong).
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from peifu.triage.decide import CALIBRATION_FILE, features
from peifu.triage.model import data_dir, load
from peifu.triage.real import load_sample
from peifu.triage.text import normalise

PRECISION_TARGET = 0.95
"""The share of the answers kept that must be right on dev (the issue: a confident answer right ≥ 95 %)."""
MIN_ANSWERED = 30  # a threshold that keeps fewer dev answers than this says nothing
SHUFFLES = (0, 1, 2)
CALIBRATION_SPLITS = ("dev", "dev2", "dev3", "dev4", "test2")
"""The samples the calibrator is fitted on; dev5 and dev6 are validation (never fitted on). test2, the
fifth round's held-out sample, joined them in the sixth round (it has been scored and read: tuning
data now), 1,700 rows in all; the sixth round's own held-out sample is never read here."""


def main() -> None:
    model = load()
    rows = [row for split in CALIBRATION_SPLITS for row in load_sample(split)]
    xs, ys = [], []
    for _, text, label in rows:
        normal = normalise(text)
        reason, _, x = features(normal, dict(model.probabilities(normal)))
        xs.append(x)
        ys.append(1 if str(reason) == label else 0)
    x_all, y_all = np.array(xs), np.array(ys)
    calibrator = LogisticRegression(C=1.0).fit(x_all, y_all)

    out_of_fold = np.zeros(len(y_all))
    for seed in SHUFFLES:
        for train, held in StratifiedKFold(5, shuffle=True, random_state=seed).split(x_all, y_all):
            fold = LogisticRegression(C=1.0).fit(x_all[train], y_all[train])
            out_of_fold[held] += fold.predict_proba(x_all[held])[:, 1] / len(SHUFFLES)
    threshold, kept, right = 0.99, 0, 0
    for step in range(50, 100):
        t = step / 100
        answered = out_of_fold >= t
        n, ok = int(answered.sum()), int((answered & (y_all == 1)).sum())
        if n >= MIN_ANSWERED and ok >= PRECISION_TARGET * n:
            threshold, kept, right = t, n, ok
            break
    out = {
        "model": model.name,
        "fitted_on": f"tuning samples ({len(rows)} rows of ../shared/data/shopper-reviews-negative.csv: {', '.join(CALIBRATION_SPLITS)})",
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
        "precision_target": PRECISION_TARGET,
        "out_of_fold_at_threshold": {"answered": kept, "right": right, "of": len(rows)},
    }
    (data_dir() / CALIBRATION_FILE).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
