"""Process settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///peifu.db"
    policy_file: str | None = None
    sandbox: bool = False
    gateway_url: str | None = None  # None: the sandbox gateway (its own table); else an HTTP payment service
    gateway_token: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("PEIFU_DATABASE_URL", cls.database_url),
            policy_file=os.environ.get("PEIFU_POLICY_FILE") or None,
            sandbox=_flag("PEIFU_SANDBOX"),
            gateway_url=os.environ.get("PEIFU_GATEWAY_URL") or None,
            gateway_token=os.environ.get("PEIFU_GATEWAY_TOKEN") or None,
        )
