"""A marketplace simulator that drives the real engine through simulated time.

Shops in categories, buyers (a share of them abusive), orders that are paid, shipped and
delivered through courier events, after-sale requests of every type and reason, sellers who
answer, refuse, propose, answer late or never ship, buyers who return goods, switch reasons,
escalate or give up, agents who rule disputes, decide appeals and rule complaints, and mark
abusive claims; a few buyers in a hundred file a service complaint (售后投诉) that the platform
registers and forwards and the shop mostly handles in time, sometimes not (a miss, an agent) — every step through the services (`cases.act`, `disputes.rule`, …), every timer
through the deadline worker (`deadlines.run_due`) on a `ManualClock` that only moves forward.

It is a discrete-event simulation: each planned step is (time, what); before a step runs, every
deadline due by then fires at its own due time, so "silence is consent" and the other timers
act exactly when the policy says. A step the rules refuse (a seller answering after the timer
already agreed, a claim outside its window) is counted, not fatal: the engine's refusal is part
of what is being simulated. For one seed the run is deterministic (same steps, same summary).

Used by `peifu simulate`, as the demo data generator (`peifu demo --simulate`) and as a load
source for the benchmarks.

The package: `cast` (settings, shops, buyers, goods), `engine` (clock and loop), the flows
`orders`, `disputes` and `complaints`, and `summary` (figures read back, tables printed).
"""

from __future__ import annotations

from typing import Any

from peifu.adapters.runtime import Runtime
from peifu.adapters.simulation.cast import BuyerProfile, ShopProfile, SimConfig, already_run, sim_order_id, sim_shop_id
from peifu.adapters.simulation.complaints import ComplaintFlow
from peifu.adapters.simulation.disputes import DisputeFlow
from peifu.adapters.simulation.engine import SimBase, Step
from peifu.adapters.simulation.orders import OrderFlow
from peifu.adapters.simulation.summary import Summary, print_summary, summarise


class Simulator(OrderFlow, DisputeFlow, ComplaintFlow, SimBase):
    """One simulated marketplace run: `Simulator(rt, config).run()` → `Summary`."""


def run_with_progress(rt: Runtime, config: SimConfig, console: Any = None) -> Summary:
    """Run with a rich progress bar over the simulated days, then print the summary tables."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console()
    with Progress(
        TextColumn("simulated day"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[steps]:>8} steps"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("days", total=config.days, steps=0)
        simulator = Simulator(rt, config)
        simulator.on_day = lambda day: bar.update(task, completed=day, steps=simulator.stats["steps"])
        summary = simulator.run()
    print_summary(summary, console)
    return summary


__all__ = [
    "BuyerProfile",
    "ShopProfile",
    "SimConfig",
    "Simulator",
    "Step",
    "Summary",
    "already_run",
    "print_summary",
    "run_with_progress",
    "sim_order_id",
    "sim_shop_id",
    "summarise",
]
