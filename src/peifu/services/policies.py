"""Putting a policy file in force, and finding the version a case was opened under.

Each version text is stored once and never changed; loading a different text under a version
name that already exists is refused, because that would silently re-judge old cases.
"""

from __future__ import annotations

from datetime import datetime
from threading import Lock

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peifu.db.models import PolicyVersionRow
from peifu.domain.errors import NotFound
from peifu.domain.policy import Policy, PolicyError, content_hash, parse_policy


class PolicyBook:
    """The policy in force plus a cache of every version cases were opened under."""

    def __init__(self, current: Policy, current_text: str) -> None:
        self.current = current
        self.current_text = current_text
        self._cache: dict[str, Policy] = {current.version: current}
        self._lock = Lock()

    def get(self, session: Session, version: str) -> Policy:
        cached = self._cache.get(version)
        if cached is not None:
            return cached
        row = session.get(PolicyVersionRow, version)
        if row is None:
            raise NotFound("policy_version_not_found", f"Policy version '{version}' is not stored.")
        policy = parse_policy(row.text)
        with self._lock:
            self._cache[version] = policy
        return policy


def activate(session: Session, text: str, now: datetime) -> PolicyBook:
    """Validate `text`, store it as a version if new, and return a book with it in force."""
    policy = parse_policy(text)
    digest = content_hash(text)
    row = session.get(PolicyVersionRow, policy.version)
    if row is None:
        try:
            with session.begin_nested():
                session.add(PolicyVersionRow(version=policy.version, content_hash=digest, text=text, activated_at=now))
                session.flush()
            return PolicyBook(policy, text)
        except IntegrityError:  # another process starting at the same moment stored it first
            row = session.get(PolicyVersionRow, policy.version)
            if row is None:
                raise
    if row.content_hash != digest:
        raise PolicyError(
            f"policy version '{policy.version}' is already stored with different rules; "
            "give the changed file a new version",
            key="version",
        )
    return PolicyBook(policy, text)
