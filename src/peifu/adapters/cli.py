"""`peifu` — the command line: serve, worker, db upgrade, demo."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from peifu.adapters.logs import setup_logging
from peifu.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

app = typer.Typer(help="Peifu (赔付): after-sales, refund, dispute and compensation engine.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
audit_app = typer.Typer(
    help="The HMAC-chained audit log of every row that decides money or liability.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")
events_app = typer.Typer(help="Events out: the catalogue, the feed's state.", no_args_is_help=True)
app.add_typer(events_app, name="events")

DatabaseOpt = Annotated[
    str | None,
    typer.Option("--database-url", envvar="PEIFU_DATABASE_URL", help="SQLAlchemy URL; default sqlite:///peifu.db"),
]


def _settings(database_url: str | None, sandbox: bool | None = None) -> Settings:
    settings = Settings.from_env()
    if database_url:
        settings = replace(settings, database_url=database_url)
    if sandbox is not None:
        settings = replace(settings, sandbox=sandbox)
    return settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    database_url: DatabaseOpt = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Seed demo data into an empty database.")] = True,
    simulate: Annotated[
        bool,
        typer.Option(
            "--simulate/--no-simulate",
            envvar="PEIFU_DEMO_SIMULATE",
            help="With the demo data, also simulate a month of a 14-shop marketplace (500 orders) ending today.",
        ),
    ] = False,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help="Fire deadlines in this process too.")] = True,
    sandbox: Annotated[
        bool, typer.Option("--sandbox/--no-sandbox", envvar="PEIFU_SANDBOX", help="Enable the test clock.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=256,
            envvar="PEIFU_API_WORKERS",
            help="API processes (uvicorn workers) sharing the port; each opens its own connection pool.",
        ),
    ] = 1,
) -> None:
    """Run the API (docs at /docs), migrating the database and seeding demo data first."""
    import os
    import threading

    import uvicorn

    from peifu.adapters.api.app import create_app
    from peifu.adapters.demo import seed_if_empty
    from peifu.adapters.runtime import Runtime
    from peifu.adapters.worker import Worker

    settings = _settings(database_url, sandbox)
    setup_logging(settings.log_level)
    rt = Runtime(settings)
    if demo:
        seeded = seed_if_empty(rt)
        if seeded:
            typer.echo(f"demo data: {seeded}")
        if simulate:
            from peifu.adapters.demo import simulate_month

            typer.echo("simulating a month of a marketplace (once per database)…")
            month = simulate_month(rt)
            typer.echo(f"demo data: {month}" if month else "the simulated month is already there")
    if workers == 1:  # load the complaint-triage model now rather than in the first request that opens a case
        threading.Thread(target=_warm_triage, daemon=True, name="peifu-triage-warmup").start()
    if worker:
        from peifu.adapters.relay import Relay

        loop = Worker(rt, idle_sleep=2.0, relay=Relay(rt))
        threading.Thread(target=_quiet_forever, args=(loop,), daemon=True, name="peifu-worker").start()
    typer.echo(f"Peifu on http://{host}:{port}  — API docs: http://{host}:{port}/docs")
    if workers > 1:
        # each API process builds its app from the environment (peifu.adapters.api.asgi); this
        # process migrated and seeded the database, supervises them and runs the worker thread
        os.environ["PEIFU_DATABASE_URL"] = settings.database_url
        os.environ["PEIFU_SANDBOX"] = "1" if settings.sandbox else "0"
        typer.echo(f"{workers} API processes")
        uvicorn.run(
            "peifu.adapters.api.asgi:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
        )
        return
    # log_config=None: keep our JSON logging; no access log (the request middleware logs without query strings)
    uvicorn.run(create_app(rt), host=host, port=port, log_config=None, access_log=False)


def _warm_triage() -> None:
    from peifu.triage.model import load

    try:
        load()
    except Exception:  # triage is advisory: a request opened later tries again and logs
        logging.getLogger(__name__).warning("triage model could not be loaded at start-up", exc_info=True)


def _quiet_forever(loop: object) -> None:
    import time

    from peifu.adapters.worker import Worker

    assert isinstance(loop, Worker)
    while True:
        try:
            loop.step()  # rides out a database restart with one log line each way
        except Exception:  # keep the in-process worker alive; the standalone one logs and exits
            logging.getLogger("peifu.worker").exception("worker batch failed")
        time.sleep(loop.idle_sleep)


@app.command()
def worker(
    database_url: DatabaseOpt = None,
    once: Annotated[bool, typer.Option("--once", help="Fire what is due now, then exit.")] = False,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Deadlines claimed per batch.")] = 200,
    max_batch: Annotated[
        int, typer.Option(min=1, max=100_000, help="Largest claim while a backlog lasts (claims double up to it).")
    ] = 2000,
    idle_sleep: Annotated[float, typer.Option(min=0.05, help="Seconds to wait when nothing is due.")] = 1.0,
    metrics_port: Annotated[
        int, typer.Option(min=0, max=65535, help="Serve Prometheus metrics on this port (0: off).")
    ] = 0,
    metrics_host: Annotated[str, typer.Option(help="Interface for the metrics port.")] = "127.0.0.1",
    relay: Annotated[
        bool,
        typer.Option("--relay/--no-relay", help="Also relay events (webhooks, RabbitMQ) between batches."),
    ] = True,
) -> None:
    """Fire due deadlines (auto-agree, auto-close, auto-refund, auto-confirm), send reminders and
    payouts, and relay events. Run as many as you like on PostgreSQL."""
    from peifu.adapters.relay import Relay
    from peifu.adapters.runtime import Runtime
    from peifu.adapters.worker import Worker

    settings = _settings(database_url)
    setup_logging(settings.log_level)
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr=metrics_host)
    rt = Runtime(settings, migrate=False)
    loop = Worker(rt, batch=batch, max_batch=max_batch, idle_sleep=idle_sleep, relay=Relay(rt) if relay else None)
    if once:
        report = loop.run_once()
        typer.echo(
            f"fired {report.fired}, skipped {report.skipped}, failed {report.failed}; "
            f"payouts sent {report.payouts_sent}, failed {report.payouts_failed}; reminders {report.reminders}"
        )
    else:
        loop.run_forever()


@app.command()
def relay(
    database_url: DatabaseOpt = None,
    once: Annotated[bool, typer.Option("--once", help="Relay what is waiting now, then exit.")] = False,
    batch: Annotated[int, typer.Option(min=1, max=5_000, help="Webhook deliveries claimed per round.")] = 200,
    idle_sleep: Annotated[float, typer.Option(min=0.01, help="Seconds to wait when nothing is waiting.")] = 0.2,
    metrics_port: Annotated[
        int, typer.Option(min=0, max=65535, help="Serve Prometheus metrics on this port (0: off).")
    ] = 0,
    metrics_host: Annotated[str, typer.Option(help="Interface for the metrics port.")] = "127.0.0.1",
) -> None:
    """Relay events out: the feed's order, webhooks (Standard Webhooks), and RabbitMQ when
    PEIFU_AMQP_URL is set. Run as many as you like on PostgreSQL."""
    from peifu.adapters.relay import Relay
    from peifu.adapters.runtime import Runtime

    settings = _settings(database_url)
    setup_logging(settings.log_level)
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr=metrics_host)
    rt = Runtime(settings, migrate=False)
    loop = Relay(rt, batch=batch, idle_sleep=idle_sleep)
    if once:
        report = loop.run_once()
        loop.close()
        typer.echo(
            f"sequenced {report.sequenced}; webhooks delivered {report.delivered}, "
            f"failed {report.delivery_failures}; published {report.published}"
        )
    else:
        loop.run_forever()


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOpt = None, revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from peifu.db.migrate import upgrade

    settings = _settings(database_url)
    upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}")


def _audit_session_factory(database_url: str | None, *, snapshot: bool = False) -> sessionmaker[Session]:
    """Sessions keyed with the configured audit keys; with `snapshot`, every read of a session sees
    the same moment (REPEATABLE READ on PostgreSQL; SQLite's transactions do already)."""
    from peifu.db.engine import make_engine, make_session_factory
    from peifu.services import audit

    settings = _settings(database_url)
    engine = make_engine(settings.database_url)
    if snapshot and engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    factory = make_session_factory(engine)
    factory.configure(info={audit.KEYRING: audit.Keyring.configured(settings.audit_key_file, settings.audit_keys)})
    return factory


@audit_app.command("verify")
def audit_verify(
    database_url: DatabaseOpt = None,
    expect_checkpoint: Annotated[
        str | None,
        typer.Option(help="A checkpoint exported by `peifu audit checkpoint` and kept outside the database."),
    ] = None,
    jobs: Annotated[
        int, typer.Option(min=1, help="PostgreSQL: check the chains and tables in this many processes (one snapshot).")
    ] = 1,
) -> None:
    """Recompute every audit chain and every covered row; exit 1 naming the first broken link if
    anything was edited, forged or deleted (links cut off a chain's end: against the checkpoint)."""
    import json
    from pathlib import Path

    from peifu.db.engine import unit_of_work
    from peifu.services import audit

    expect = None
    if expect_checkpoint:
        try:
            expect = json.loads(Path(expect_checkpoint).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            typer.echo(f"cannot read the checkpoint {expect_checkpoint}: {exc}", err=True)
            raise typer.Exit(2) from None
        if not isinstance(expect, dict):
            typer.echo(f"{expect_checkpoint} is not a peifu audit checkpoint", err=True)
            raise typer.Exit(2)
    report = audit.Report()
    with unit_of_work(_audit_session_factory(database_url, snapshot=True)) as session:
        total = audit.count(session)
        with typer.progressbar(length=total, label="verifying audit chains") as bar:
            broken = audit.verify(session, progress=bar.update, expect=expect, report=report, jobs=jobs)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if broken is not None:
        typer.echo(f"BROKEN: {broken}", err=True)
        raise typer.Exit(1)
    against = f", checked against checkpoint {report.checkpoint_id}" if report.checkpoint_id is not None else ""
    typer.echo(f"audit chain intact: {report.links} links in {report.chains} chains{against}")


@audit_app.command("checkpoint")
def audit_checkpoint(
    database_url: DatabaseOpt = None,
    out: Annotated[
        str | None, typer.Option(help="Also write the checkpoint JSON to this file (e.g. on another machine).")
    ] = None,
) -> None:
    """Sign a Merkle root over every chain's head, store it and print it as JSON (stdout), to be kept
    outside the database: `verify --expect-checkpoint` then notices links removed since."""
    import json
    from datetime import UTC, datetime
    from pathlib import Path

    from peifu.db.engine import unit_of_work
    from peifu.services import audit

    with unit_of_work(_audit_session_factory(database_url)) as session:
        cp = audit.checkpoint(session, datetime.now(UTC))
    body = json.dumps(cp, ensure_ascii=False, indent=2)
    if out:
        Path(out).write_text(body + "\n", encoding="utf-8")
    typer.echo(body)


@audit_app.command("adopt")
def audit_adopt(database_url: DatabaseOpt = None) -> None:
    """After upgrading from the single global chain: check it, then link every covered row that
    has no link yet into the keyed chains (rows of newly covered tables are sealed as they are)."""
    from datetime import UTC, datetime

    from peifu.db.engine import unit_of_work
    from peifu.services import audit

    try:
        with unit_of_work(_audit_session_factory(database_url)) as session:
            linked = audit.adopt(session, datetime.now(UTC))
    except ValueError as exc:
        typer.echo(f"BROKEN: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"linked {linked} rows")


@audit_app.command("keygen")
def audit_keygen(key_id: Annotated[str, typer.Argument(help="The new key's id, e.g. k2026a.")]) -> None:
    """Print a new key line for the audit key file: put it FIRST to sign with it, keep the old lines."""
    from peifu.services import audit

    typer.echo(audit.new_key_line(key_id))


user_app = typer.Typer(help="People who log in: buyers, seller staff, agents, admins.", no_args_is_help=True)
app.add_typer(user_app, name="user")
apikey_app = typer.Typer(help="API keys for integration clients.", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")


@user_app.command("create")
def user_create(
    username: str,
    role: Annotated[str, typer.Option(help="buyer | seller | agent | admin")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    party: Annotated[str | None, typer.Option(help="The buyer id, or the shop id for seller staff.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    database_url: DatabaseOpt = None,
) -> None:
    """Create a user with an Argon2-hashed password."""
    from peifu.adapters.runtime import Runtime
    from peifu.services import auth

    rt = Runtime(_settings(database_url))
    with rt.uow() as ctx:
        auth.create_user(ctx.session, username, role, password, ctx.now(), party_id=party, display_name=name)
    typer.echo(f"user {username} ({role}) created")


@apikey_app.command("create")
def apikey_create(
    scope: Annotated[str, typer.Option(help="'platform' or 'shop:<shop id>'")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "integration",
    database_url: DatabaseOpt = None,
) -> None:
    """Issue an API key; it is shown once and stored hashed."""
    from peifu.adapters.runtime import Runtime
    from peifu.services import auth

    rt = Runtime(_settings(database_url))
    with rt.uow() as ctx:
        issued = auth.create_api_key(ctx.session, scope, name, ctx.now())
    typer.echo(issued.key)


@apikey_app.command("revoke")
def apikey_revoke(key_id: str, database_url: DatabaseOpt = None) -> None:
    """Revoke an API key by its public id (pk_…)."""
    from peifu.adapters.runtime import Runtime
    from peifu.db.models import ApiKey

    rt = Runtime(_settings(database_url))
    with rt.uow() as ctx:
        key = ctx.session.get(ApiKey, key_id)
        if key is None:
            typer.echo(f"no key {key_id}", err=True)
            raise typer.Exit(1)
        key.revoked_at = ctx.now()
    typer.echo(f"revoked {key_id}")


privacy_app = typer.Typer(help="Personal data (PIPL).", no_args_is_help=True)
app.add_typer(privacy_app, name="privacy")


@privacy_app.command("purge")
def privacy_purge(
    database_url: DatabaseOpt = None,
    days: Annotated[int | None, typer.Option(min=1, help="Retention in days; default PEIFU_RETENTION_DAYS.")] = None,
) -> None:
    """Remove personal data of cases closed longer than the retention period; the ledger stays."""
    from peifu.adapters.runtime import Runtime
    from peifu.services import privacy

    settings = _settings(database_url)
    rt = Runtime(settings, migrate=False)
    with rt.uow() as ctx:
        report = privacy.purge(ctx, days or settings.retention_days)
    typer.echo(
        f"purged {report.cases} cases, {report.evidence} evidence items, {report.blobs} files, {report.buyers} buyers"
    )


idempotency_app = typer.Typer(help="Idempotency-Key answers kept for retries.", no_args_is_help=True)
app.add_typer(idempotency_app, name="idempotency")


@idempotency_app.command("purge")
def idempotency_purge(
    database_url: DatabaseOpt = None,
    hours: Annotated[
        int | None, typer.Option(min=1, help="Retention in hours; default PEIFU_IDEMPOTENCY_RETENTION_HOURS (24).")
    ] = None,
) -> None:
    """Delete Idempotency-Key answers older than the retention (the worker also does it hourly)."""
    from datetime import timedelta

    from peifu.adapters.runtime import Runtime
    from peifu.db.idempotency_keys import purge_expired, retention

    settings = _settings(database_url)
    rt = Runtime(settings, migrate=False)
    kept = timedelta(hours=hours) if hours else retention(settings)
    gone = purge_expired(rt.factory, rt.clock.now(), kept)
    rt.close()
    typer.echo(f"purged {gone} idempotency keys older than {kept}")


metrics_app = typer.Typer(help="After-sale metrics (售后指标).", no_args_is_help=True)
app.add_typer(metrics_app, name="metrics")


@metrics_app.command("rebuild")
def metrics_rebuild(database_url: DatabaseOpt = None) -> None:
    """Recompute the metric rollups from orders, cases and disputes (after a bulk import)."""
    from peifu.db.engine import make_engine, make_session_factory, unit_of_work
    from peifu.services import metrics

    factory = make_session_factory(make_engine(_settings(database_url).database_url))
    with unit_of_work(factory) as session:
        metrics.rebuild(session)
    typer.echo("metric rollups rebuilt")


triage_app = typer.Typer(help="Complaint triage (投诉分诊): the reason model and its evaluation.", no_args_is_help=True)
app.add_typer(triage_app, name="triage")


@triage_app.command("train")
def triage_train() -> None:
    """Fit the triage model on the shipped data and write the artifact into the package."""
    from peifu.triage.model import data_dir, train

    meta = train()
    typer.echo(f"{meta['name']}: {meta['examples']} examples → {data_dir() / 'model.joblib'}")


@triage_app.command("evaluate")
def triage_evaluate(
    output: Annotated[
        str, typer.Option(help="Where to write the Markdown report ('-' for standard output).")
    ] = "docs/triage-evaluation.md",
    folds: Annotated[int, typer.Option(min=0, max=10, help="Cross-validation folds (0 to skip).")] = 5,
    real: Annotated[
        bool,
        typer.Option(help="Also score the labelled random samples of real reviews (needs ../shared/data)."),
    ] = False,
) -> None:
    """Held-out evaluation (stratified split, fixed seed): per-reason precision, recall and F1; with
    --real, the labelled samples of real shopper reviews (accuracy, confident-and-wrong, unsure rate,
    calibration, per-reason precision/recall)."""
    from pathlib import Path

    from peifu.triage.evaluate import evaluate, report_markdown
    from peifu.triage.model import load

    ev = evaluate(folds=folds)
    text = report_markdown(ev, model_name=load().name)
    if real:
        from peifu.services import triage as triage_service
        from peifu.triage import real as real_eval

        try:
            runs = [triage_service.evaluate_real(split=split, script=script) for split, script in real_eval.REPORT_RUNS]
        except real_eval.ReviewsMissing as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        text = real_eval.insert_report(text, real_eval.report_markdown(runs))
        for run in runs:
            typer.echo(
                f"real {run.split} {run.script}: top-1 {run.top1_accuracy:.1%} on {run.with_reason} texts with a reason;"
                f" confident and wrong {run.confident_error_rate:.1%} of {run.confident} answered;"
                f" to a person {run.unsure_rate:.1%}"
            )
    if output == "-":
        typer.echo(text)
    else:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        typer.echo(f"held-out accuracy {ev.accuracy:.1%}, macro F1 {ev.macro_f1:.3f} → {output}")


@triage_app.command("text")
def triage_text(
    text: Annotated[str, typer.Argument(help="The buyer's words.")],
    channel: Annotated[str | None, typer.Option(help="form, chat, phone or email.")] = None,
) -> None:
    """Triage one text and print the suggestion as JSON."""
    import json
    from dataclasses import asdict

    from peifu.domain.triage import Channel
    from peifu.services.triage import triage

    result = triage(text, Channel(channel) if channel else None)
    typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))


@app.command()
def simulate(
    shops: Annotated[int, typer.Option(min=1, max=100_000, help="Shops (spread over the categories).")] = 20,
    orders: Annotated[int, typer.Option(min=1, max=10_000_000, help="Orders placed over the period.")] = 2000,
    days: Annotated[int, typer.Option(min=1, max=365, help="Simulated days; the run ends today.")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same marketplace.")] = 1,
    abusive_share: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of abusive buyers.")] = 0.05,
    database_url: DatabaseOpt = None,
) -> None:
    """Simulate a marketplace on the real engine through simulated time, then print its metrics."""
    from peifu.adapters.runtime import Runtime
    from peifu.adapters.simulation import SimConfig, already_run, run_with_progress

    rt = Runtime(_settings(database_url))
    config = SimConfig(shops=shops, orders=orders, days=days, seed=seed, abusive_share=abusive_share)
    if already_run(rt, config):
        typer.echo(f"seed {seed} was already simulated in this database; pick another --seed", err=True)
        raise typer.Exit(1)
    run_with_progress(rt, config)
    rt.close()


@app.command()
def demo(
    database_url: DatabaseOpt = None,
    simulate: Annotated[
        bool,
        typer.Option(
            "--simulate/--no-simulate",
            help="Also simulate 30 days of a 20-shop marketplace (2,000 orders) ending today: `peifu simulate`.",
        ),
    ] = False,
) -> None:
    """Seed shops, buyers, orders and cases in every state (idempotent: skipped if data exists)."""
    from peifu.adapters.demo import seed_if_empty
    from peifu.adapters.runtime import Runtime

    rt = Runtime(_settings(database_url))
    result = seed_if_empty(rt)
    typer.echo(f"demo data: {result}" if result else "database already has data; nothing seeded")
    if simulate:
        from peifu.adapters.simulation import SimConfig, already_run, run_with_progress

        if already_run(rt, SimConfig()):
            typer.echo("the simulated marketplace is already there; nothing simulated")
        else:
            run_with_progress(rt, SimConfig())


if __name__ == "__main__":
    app()


@events_app.command("catalogue")
def events_catalogue(
    out: Annotated[
        str | None, typer.Option("--out", help="Write here (e.g. docs/events.md) instead of stdout.")
    ] = None,
) -> None:
    """The event catalogue as Markdown (zh-CN and English): types, who receives them, payloads."""
    from pathlib import Path

    from peifu.adapters.api.event_docs import catalogue_markdown

    text = catalogue_markdown()
    if out:
        Path(out).write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text, nl=False)


@events_app.command("status")
def events_status(database_url: DatabaseOpt = None) -> None:
    """How far the feed, the webhooks and the broker are behind."""
    from peifu.adapters.runtime import Runtime
    from peifu.domain.actors import Actor
    from peifu.domain.vocabulary import Role
    from peifu.services import feed, webhooks

    rt = Runtime(_settings(database_url), migrate=False)
    with rt.uow() as ctx:
        lag = feed.lag(ctx.session, ctx.now())
        typer.echo(f"feed position {feed.latest_position(ctx.session)}; not yet sequenced {lag['unsequenced']}")
        for sink in feed.sink_state(ctx.session):
            typer.echo(f"broker {sink['name']}: published up to {sink['position']} ({sink['published']} in all)")
        for endpoint in webhooks.list_endpoints(ctx, Actor(Role.platform, "platform")):
            health = webhooks.health(ctx.session, endpoint.id, ctx.now())
            typer.echo(
                f"webhook {endpoint.id} {endpoint.status}: {health.pending} waiting, {health.delivered} delivered, "
                f"{health.failed_attempts_24h} failed attempts in 24 h — {endpoint.url}"
            )
    rt.close()
