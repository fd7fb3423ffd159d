"""Logging in without letting logins be a way in or a way down.

A password is checked with Argon2id (64 MiB and most of a CPU core for well over half a second on
a small machine), which is the point — guessing is slow — and also a lever: a few clients
looping on the login could take every core and starve everything else. So both log-in doors
(`POST /api/v1/auth/login` and the `/login` page) go through `LoginGuard.login`:

* **Failed logins are throttled** per account and per client address: each keeps a bucket of
  `login_failures_per_account` / `login_failures_per_address` failures refilled over
  `login_failure_window_seconds` (10 and 30 per 15 minutes by default). While either is empty the
  attempt is refused before any password is checked: 429 `login_throttled` with `Retry-After`.
  A successful login empties the account's record of failures, not the address's.
* **At most `login_concurrency` passwords are checked at once** (half the CPU cores by default).
  One more is refused at once, without waiting: 503 `login_busy` with `Retry-After: 1`.
* **The check runs in a worker thread**, never on the event loop, and outside any database
  transaction, so the server keeps answering everything else (`/healthz` included) while logins
  are saturated.

The buckets and the slots live in this process, like the request rate limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio.to_thread
from fastapi import Request

from peifu.adapters.http.limits import TokenBucket, retry_after
from peifu.adapters.runtime import Runtime
from peifu.db.models import User
from peifu.domain.errors import Busy, TooManyAttempts, Unauthenticated
from peifu.services import auth
from peifu.settings import Settings

BUSY_RETRY_SECONDS = 1


@dataclass(frozen=True)
class LoggedIn:
    token: str
    user: User


class LoginGuard:
    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        window = float(settings.login_failure_window_seconds)
        self.per_account = (
            TokenBucket(settings.login_failures_per_account, window=window, clock=clock)
            if settings.login_failures_per_account > 0
            else None
        )
        self.per_address = (
            TokenBucket(settings.login_failures_per_address, window=window, clock=clock)
            if settings.login_failures_per_address > 0
            else None
        )
        self.concurrency = max(1, settings.login_concurrency)
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()  # the buckets are shared by the loop and the worker threads

    def _throttled(self, account: str, address: str) -> float:
        with self._lock:
            waits = [0.0]
            if self.per_account is not None:
                waits.append(self.per_account.wait(account))
            if self.per_address is not None:
                waits.append(self.per_address.wait(address))
            return max(waits)

    def _failed(self, account: str, address: str) -> None:
        with self._lock:
            if self.per_account is not None:
                self.per_account.take(account)
            if self.per_address is not None:
                self.per_address.take(address)

    def _succeeded(self, account: str) -> None:
        with self._lock:
            if self.per_account is not None:
                self.per_account.forget(account)

    async def login(self, rt: Runtime, username: str, password: str, address: str) -> LoggedIn:
        """Check the credentials under the throttle and the concurrency bound; a new session."""
        wait = self._throttled(username, address)
        if wait > 0:
            seconds = retry_after(wait)
            raise TooManyAttempts(
                "login_throttled",
                f"Too many failed logins for this account or from this address; try again in {seconds} s.",
                retry_after_seconds=seconds,
            )
        if not self._slots.acquire(blocking=False):
            raise Busy(
                "login_busy",
                "The server is checking as many passwords as it can right now; try again in a second.",
                retry_after_seconds=BUSY_RETRY_SECONDS,
            )
        try:
            return await anyio.to_thread.run_sync(self._check, rt, username, password, address)
        finally:
            self._slots.release()

    def _check(self, rt: Runtime, username: str, password: str, address: str) -> LoggedIn:
        """Read the hash, verify it outside any transaction (a verification holds no connection and,
        on SQLite, no write lock), then open the session."""
        with rt.uow() as ctx:
            stored = auth.stored_password(ctx.session, username)
        try:
            if not auth.password_matches(stored, password):
                raise Unauthenticated("invalid_credentials", "Wrong user name or password.")
            with rt.uow() as ctx:
                token, user = auth.start_session(ctx.session, username, ctx.now())
        except Unauthenticated:
            self._failed(username, address)
            raise
        self._succeeded(username)
        return LoggedIn(token, user)


def guard(request: Request) -> LoginGuard:
    found: LoginGuard = request.app.state.login_guard
    return found


def install(app_state: object, settings: Settings) -> LoginGuard:
    """The app's guard, kept on `app.state.login_guard` (tests move its clock)."""
    made = LoginGuard(settings)
    app_state.login_guard = made  # type: ignore[attr-defined]
    return made
