"""Every benchmark in turn (`make bench`): the engine's (case actions, deadlines, bulk fast refund)
at the sizes used for the README's figures, events out while 10,000 deadlines fire, 1 then 2 API
processes under a request mix (scale_bench), then the metrics benchmark on 1 M orders (the 10 M
run is `make bench-metrics ARGS=` — see benchmarks/README.md)."""

from __future__ import annotations

import sys

from benchmarks import engine_bench, events_bench, metrics_bench, scale_bench


def main() -> int:
    status = engine_bench.main(
        [
            *("--cases", "1000000", "--due", "100000", "--workers", "2", "--batch", "2000"),
            *("--actions", "1000", "--http", "300", "--bulk", "100000", "--baseline", "10000"),
        ]
    )
    status = status or events_bench.main(["--due", "10000"])
    status = status or scale_bench.main(["--api", "1,2", "--seconds", "20"])
    return status or metrics_bench.main(["--orders", "1000000", "--cases", "100000"])


if __name__ == "__main__":
    sys.exit(main())
