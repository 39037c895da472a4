"""What the service is started with: its folder, its users, its limits.

Users are coordinators (or apps), each with a bearer token. The service keeps only the
SHA-256 of each token: tokens are long random strings, so a fast hash is enough to make
a stolen users file useless for logging in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import InputError, Issue

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
HASH_PREFIX = "sha256:"


def token_hash(token: str) -> str:
    """How a token is stored: ``sha256:<hex>``."""
    return HASH_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Users:
    """Who may use the service: user name → stored token hash."""

    hashes: dict[str, str]

    def who(self, token: str) -> str | None:
        """The user holding ``token``, compared in constant time, or ``None``."""
        given = token_hash(token)
        found = None
        for name, stored in self.hashes.items():
            if hmac.compare_digest(given, stored):
                found = name
        return found

    @classmethod
    def read(cls, path: Path) -> Users:
        """A users file: one ``name:sha256:<hex>`` per line; ``#`` starts a comment."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                [Issue(str(path), "(file)", f"cannot read ({exc.strerror})", "check the path")]
            ) from None
        hashes: dict[str, str] = {}
        issues: list[Issue] = []
        for row, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, stored = line.partition(":")
            fix = "write name:sha256:<64 hex digits> (ktj-route serve --add-user NAME writes one)"
            if not USER_NAME.match(name):
                issues.append(Issue(str(path), "name", "not a usable user name", fix, row=row))
            elif not re.fullmatch(r"sha256:[0-9a-f]{64}", stored):
                issues.append(Issue(str(path), "token", "not a token hash", fix, row=row))
            elif name in hashes:
                issues.append(Issue(str(path), "name", "user listed twice", fix, row, name))
            else:
                hashes[name] = stored
        if issues:
            raise InputError(issues)
        if not hashes:
            raise InputError(
                [Issue(str(path), "(file)", "no users", "add a user: ktj-route serve --add-user")]
            )
        return cls(hashes)


def add_user(path: Path, name: str) -> str:
    """Append ``name`` with a new token to the users file; the token (shown once)."""
    if not USER_NAME.match(name):
        raise InputError(
            [Issue("command line", "--add-user", "not a usable user name", "use A-Z a-z 0-9 . _ -")]
        )
    existing = Users.read(path).hashes if path.exists() and path.stat().st_size else {}
    if name in existing:
        raise InputError(
            [Issue(str(path), "name", "user exists", "choose another name", value=name)]
        )
    token = new_token()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"{name}:{token_hash(token)}\n")
    path.chmod(0o600)
    return token


@dataclass(frozen=True)
class Limits:
    """What one request or job may use."""

    max_upload_bytes: int = 20 * 1024 * 1024
    max_files: int = 20
    max_time_limit_s: float = 600.0
    queue: int = 8  # jobs waiting beyond those running
    ttl_s: float = 24 * 3600.0  # jobs and their files are deleted this long after submission


@dataclass(frozen=True)
class ServiceConfig:
    """Everything ``create_app`` needs."""

    state_dir: Path
    users: Users
    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    secure_cookies: bool = False  # set when served over HTTPS (directly or behind a proxy)
    networks: Path | None = None  # road networks a scenario may name (travel.network)
    session_s: float = 12 * 3600.0
