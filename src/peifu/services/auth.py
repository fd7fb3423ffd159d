"""Who is calling: users with Argon2 passwords, login sessions and integration API keys.

Secrets are never stored: passwords as Argon2id hashes, session tokens and API-key secrets as
SHA-256 (they are long random strings, so a fast hash is safe and keeps every request cheap).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from peifu.db.models import ApiKey, AuthSession, User
from peifu.domain.actors import Actor
from peifu.domain.errors import Conflict, Invalid, Unauthenticated
from peifu.domain.vocabulary import Role

SESSION_LIFETIME = timedelta(hours=12)
USER_ROLES = ("buyer", "seller", "agent", "admin")
_hasher = PasswordHasher()
_dummy_hashes: dict[tuple[int, int, int], str] = {}


def _dummy_hash() -> str:
    """A hash made with the parameters in use, so a login for no such user costs what a real one does
    (made once per set of parameters: a deployment, or a test, that changes them gets its own)."""
    key = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash("timing-equaliser")
    return _dummy_hashes[key]


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_user(
    session: Session,
    user_id: str,
    role: str,
    password: str,
    now: datetime,
    *,
    party_id: str | None = None,
    display_name: str | None = None,
) -> User:
    if role not in USER_ROLES:
        raise Invalid("role_invalid", f"Role must be one of {', '.join(USER_ROLES)}.")
    if role in ("buyer", "seller") and not party_id:
        raise Invalid("party_required", "Buyers need their buyer id and seller staff their shop id.")
    if len(password) < 8:
        raise Invalid("password_too_short", "Passwords have at least 8 characters.")
    if session.get(User, user_id) is not None:
        raise Conflict("user_exists", f"User '{user_id}' exists.")
    user = User(
        id=user_id,
        role=role,
        party_id=party_id if role in ("buyer", "seller") else None,
        display_name=display_name or user_id,
        password_hash=_hasher.hash(password),
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def login(session: Session, user_id: str, password: str, now: datetime) -> tuple[str, User]:
    """A new session token for correct credentials; the same refusal for any wrong part.

    This checks the password inside the caller's transaction; the API and the pages use
    `stored_password` → `password_matches` → `start_session` instead, so no transaction (and, on
    SQLite, no write lock) is held for the length of an Argon2id verification."""
    if not password_matches(stored_password(session, user_id), password):
        raise Unauthenticated("invalid_credentials", "Wrong user name or password.")
    return start_session(session, user_id, now)


def stored_password(session: Session, user_id: str) -> str | None:
    """The user's Argon2id hash (None for no such user)."""
    user = session.get(User, user_id)
    return user.password_hash if user is not None else None


def password_matches(stored: str | None, password: str) -> bool:
    """Argon2id verification; without a user, a dummy hash is verified so the time is the same."""
    try:
        _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def start_session(session: Session, user_id: str, now: datetime) -> tuple[str, User]:
    """A new session for a user whose password was just checked (unless disabled meanwhile)."""
    user = session.get(User, user_id)
    if user is None or user.disabled_at is not None:
        raise Unauthenticated("invalid_credentials", "Wrong user name or password.")
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(token_hash=_sha256(token), user_id=user.id, created_at=now, expires_at=now + SESSION_LIFETIME)
    )
    session.flush()
    return token, user


def logout(session: Session, token: str, now: datetime) -> None:
    row = session.get(AuthSession, _sha256(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


@dataclass(frozen=True)
class IssuedKey:
    key: str  # shown once: pk_<id>.<secret>
    record: ApiKey


def create_api_key(session: Session, scope: str, name: str, now: datetime) -> IssuedKey:
    if scope != "platform" and not (scope.startswith("shop:") and len(scope) > 5):
        raise Invalid("scope_invalid", "An API key is scoped to 'platform' or to 'shop:<shop id>'.")
    key_id = f"pk_{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(32)
    record = ApiKey(id=key_id, secret_hash=_sha256(secret), scope=scope, name=name, created_at=now)
    session.add(record)
    session.flush()
    return IssuedKey(f"{key_id}.{secret}", record)


def actor_for_user(user: User) -> Actor:
    if user.role == "buyer":
        return Actor(Role.buyer, user.party_id, user=user.id)
    if user.role == "seller":
        return Actor(Role.seller, user.party_id, user=user.id)
    return Actor(Role.agent, user.id, user=user.id, admin=user.role == "admin")


def resolve(session: Session, credential: str, now: datetime) -> Actor:
    """The actor behind a bearer credential: an API key (pk_…) or a login session token."""
    if credential.startswith("pk_") and "." in credential:
        key_id, _, secret = credential.partition(".")
        key = session.get(ApiKey, key_id)
        if key is None or key.revoked_at is not None or not hmac.compare_digest(key.secret_hash, _sha256(secret)):
            raise Unauthenticated("invalid_api_key", "The API key is unknown or revoked.")
        if key.scope == "platform":
            return Actor(Role.platform, "platform", user=key.id)
        return Actor(Role.seller, key.scope.removeprefix("shop:"), user=key.id)
    row = session.get(AuthSession, _sha256(credential))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthenticated("session_expired", "The session is unknown or expired; log in again.")
    user = session.get(User, row.user_id)
    if user is None or user.disabled_at is not None:
        raise Unauthenticated("session_expired", "The session is unknown or expired; log in again.")
    return actor_for_user(user)
