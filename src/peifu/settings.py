"""Process settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")
    return value


def half_the_cores() -> int:
    """Concurrent password verifications by default: half the CPU cores, at least one, so an
    Argon2id burst (64 MiB and most of a core each) leaves the rest for everything else."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///peifu.db"
    # reads that may lag (metrics, dashboard, queues, the event feed) go here, e.g. a streaming
    # replica; None: the primary (database_url)
    read_database_url: str | None = None
    policy_file: str | None = None
    sandbox: bool = False
    trust_actor_header: bool = False  # accept X-Peifu-Actor from a trusted gateway (never on the open internet)
    retention_days: int = 365 * 3  # personal data of cases closed longer than this is purged
    gateway_url: str | None = None  # None: the sandbox gateway (its own table); else an HTTP payment service
    gateway_token: str | None = None
    rate_limit_per_minute: int = 600  # requests per client per minute (token bucket); 0 disables
    login_failures_per_account: int = 10  # failed logins per account per window, then 429; 0 disables
    login_failures_per_address: int = 30  # failed logins per client address per window, then 429; 0 disables
    login_failure_window_seconds: int = 900  # the window those refill over
    login_concurrency: int = field(default_factory=half_the_cores)  # Argon2id verifications at once; more: 503
    idempotency_retention_hours: int = 24  # Idempotency-Key answers are kept (and replayed) this long
    log_level: str = "INFO"
    # events out (services.events, services.webhooks, adapters.amqp)
    amqp_url: str | None = None  # e.g. amqp://guest:guest@127.0.0.1:5672/%2F — publish every event to RabbitMQ
    amqp_exchange: str = "peifu.events"
    amqp_queue: str | None = None  # also declare this durable queue bound to every event ('#')
    webhook_allow_private: bool = False  # deliver to loopback/private addresses (tests, local use)
    webhook_timeout_seconds: int = 10
    webhook_concurrency: int = 16
    # the audit chains' HMAC keys (services.audit.Keyring), kept outside the database: a file of
    # '<key id> <secret>' lines, the signing key first; or the same lines in the variable, comma-separated
    audit_key_file: str | None = None
    audit_keys: str | None = None
    audit_checkpoint_minutes: int = 15  # the worker signs a checkpoint of the chains' heads this often; 0: never
    audit_checkpoint_dir: str | None = None  # ...and also writes it here (storage the database cannot rewrite)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("PEIFU_DATABASE_URL", cls.database_url),
            read_database_url=os.environ.get("PEIFU_READ_DATABASE_URL") or None,
            policy_file=os.environ.get("PEIFU_POLICY_FILE") or None,
            sandbox=_flag("PEIFU_SANDBOX"),
            gateway_url=os.environ.get("PEIFU_GATEWAY_URL") or None,
            trust_actor_header=_flag("PEIFU_TRUST_ACTOR_HEADER"),
            retention_days=int(os.environ.get("PEIFU_RETENTION_DAYS", str(cls.retention_days))),
            gateway_token=os.environ.get("PEIFU_GATEWAY_TOKEN") or None,
            rate_limit_per_minute=_int("PEIFU_RATE_LIMIT_PER_MINUTE", cls.rate_limit_per_minute),
            login_failures_per_account=_int("PEIFU_LOGIN_FAILURES_PER_ACCOUNT", cls.login_failures_per_account),
            login_failures_per_address=_int("PEIFU_LOGIN_FAILURES_PER_ADDRESS", cls.login_failures_per_address),
            login_failure_window_seconds=max(
                1, _int("PEIFU_LOGIN_FAILURE_WINDOW_SECONDS", cls.login_failure_window_seconds)
            ),
            login_concurrency=max(1, _int("PEIFU_LOGIN_CONCURRENCY", half_the_cores())),
            idempotency_retention_hours=max(
                1, _int("PEIFU_IDEMPOTENCY_RETENTION_HOURS", cls.idempotency_retention_hours)
            ),
            log_level=os.environ.get("PEIFU_LOG_LEVEL", cls.log_level).strip().upper() or cls.log_level,
            amqp_url=os.environ.get("PEIFU_AMQP_URL") or None,
            amqp_exchange=os.environ.get("PEIFU_AMQP_EXCHANGE", "").strip() or cls.amqp_exchange,
            amqp_queue=os.environ.get("PEIFU_AMQP_QUEUE") or None,
            webhook_allow_private=_flag("PEIFU_WEBHOOK_ALLOW_PRIVATE"),
            webhook_timeout_seconds=_int("PEIFU_WEBHOOK_TIMEOUT_SECONDS", cls.webhook_timeout_seconds) or 1,
            webhook_concurrency=_int("PEIFU_WEBHOOK_CONCURRENCY", cls.webhook_concurrency) or 1,
            audit_key_file=os.environ.get("PEIFU_AUDIT_KEY_FILE") or None,
            audit_keys=os.environ.get("PEIFU_AUDIT_KEYS") or None,
            audit_checkpoint_minutes=_int("PEIFU_AUDIT_CHECKPOINT_MINUTES", cls.audit_checkpoint_minutes),
            audit_checkpoint_dir=os.environ.get("PEIFU_AUDIT_CHECKPOINT_DIR") or None,
        )
