"""The triage on real shopper text: accuracy, per-reason confusion, unsure rate, calibration, time.

Run: `.venv/bin/python -m benchmarks.triage_real [test|dev]`. Reads the real reviews from
`../shared/data/shopper-reviews-negative.csv` at run time (or `$PEIFU_REVIEWS_FILE`) and the team's
labels (row numbers only) from the package; the method is in `peifu.triage.real` and
docs/triage-evaluation.md. Prints Markdown: the summary and per-reason tables, then the full
confusion matrix (labelled × answered, `person` for texts handed to a person).
"""

from __future__ import annotations

import sys
from collections import Counter

from peifu.services import triage as triage_service
from peifu.triage import real


def confusion(split: str) -> str:
    from peifu.services.triage import triage

    sample = real.load_sample(split)
    cells: Counter[tuple[str, str]] = Counter()
    for _, text, label in sample:
        result = triage(text)
        cells[(label, "person" if result.for_person else str(result.reason))] += 1
    rows = sorted({label for label, _ in cells})
    cols = [*sorted({answer for _, answer in cells} - {"person"}), "person"]
    short = {c: c.replace("_", " ")[:10] for c in cols}
    lines = [
        f"### Confusion, {split} sample (rows: labelled; columns: answered)",
        "",
        "| labelled | " + " | ".join(short[c] for c in cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]
    for r in rows:
        lines.append(f"| {r} | " + " | ".join(str(cells[(r, c)] or "") for c in cols) + " |")
    return "\n".join(lines)


def main() -> None:
    split = sys.argv[1] if len(sys.argv) > 1 else "test"
    try:
        runs = [triage_service.evaluate_real(split=split, script=script) for script in ("zh-Hans", "zh-Hant")]
    except real.ReviewsMissing as exc:
        sys.exit(str(exc))
    print(real.report_markdown(runs))
    print(confusion(split))


if __name__ == "__main__":
    main()
