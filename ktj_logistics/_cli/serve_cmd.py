"""``ktj-route serve``: the planning service (HTTP API and coordinator's page)."""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import InputError, Issue
from .common import app, err, errors

if TYPE_CHECKING:
    from .._service import ServiceConfig, Users


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "ktj-route"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (others: only with TLS/proxy).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8765,
    state_dir: Annotated[
        Path | None,
        typer.Option(
            "--state-dir", help="Jobs and their files (default ~/.local/state/ktj-route)."
        ),
    ] = None,
    users: Annotated[
        Path | None, typer.Option("--users", help="Users file: one name:sha256:<hex> a line.")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", envvar="KTJ_SERVICE_TOKEN", help="One token for one user, 'coordinator'."
        ),
    ] = None,
    add_user: Annotated[
        str | None,
        typer.Option("--add-user", help="Add a user to --users, print its token once, exit."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Days planned at once (default: cores).")
    ] = None,
    queue: Annotated[int, typer.Option("--queue", min=0, help="Jobs waiting beyond those.")] = 8,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", min=0.01)] = 20.0,
    max_files: Annotated[int, typer.Option("--max-files", min=1, max=1000)] = 20,
    max_time_limit: Annotated[
        float, typer.Option("--max-time-limit", min=1, help="Most search seconds a job may ask.")
    ] = 600.0,
    ttl_hours: Annotated[
        float, typer.Option("--ttl-hours", min=0.001, help="Jobs and files deleted after this.")
    ] = 24.0,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", help="Serve HTTPS.")] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key")] = None,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Behind an HTTPS proxy: cookies HTTPS only.")
    ] = False,
    networks: Annotated[
        Path | None,
        typer.Option(
            "--networks",
            help="Folder of road networks scenarios may name (settings.travel.network).",
        ),
    ] = None,
) -> None:
    """Serve the planning API and the coordinator's page (see docs/service.md)."""
    with errors():
        if add_user is not None:  # a line in the users file: no web framework needed
            from .._service import add_user as add

            if users is None:
                raise InputError([Issue("command line", "--users", "missing", "give --users FILE")])
            new = add(users, add_user)
            err().print(f"Added user {add_user} to {users}. Their token (shown once):")
            sys.stdout.write(new + "\n")
            return
        _need_service_extra()
        from .._service import Limits, ServiceConfig

        known = _users(users, token)
        _check_tls(host, tls_cert, tls_key, secure_cookies)
        from .._engine import cores

        limits = Limits(
            max_upload_bytes=int(max_upload_mb * 1024 * 1024),
            max_files=max_files,
            max_time_limit_s=max_time_limit,
            queue=queue,
            ttl_s=ttl_hours * 3600,
        )
        config = ServiceConfig(
            state_dir=(state_dir or default_state_dir()).resolve(),
            users=known,
            workers=min(workers or cores(), cores()),
            limits=limits,
            secure_cookies=secure_cookies or tls_cert is not None,
            networks=networks.resolve() if networks is not None else None,
        )
        _run(config, host, port, tls_cert, tls_key)


def _need_service_extra() -> None:
    """Say early, with the fix, when the optional service dependencies are missing."""
    try:
        import uvicorn  # noqa: F401 - used by _run

        from .._service import app  # noqa: F401 - needs fastapi and python-multipart
    except ImportError as exc:
        fix = "pip install 'ktj-route[service]'"
        need = f"the service needs {exc.name}"
        raise InputError([Issue("command line", "serve", need, fix)]) from None


def _check_tls(host: str, cert: Path | None, key: Path | None, behind_proxy: bool) -> None:
    """Refuse half a TLS setup; warn when tokens and household data would cross in clear."""
    if (cert is None) != (key is None):
        raise InputError([Issue("command line", "--tls-cert", "needs --tls-key too", "give both")])
    if not _loopback(host) and cert is None and not behind_proxy:
        err().print(
            f"Warning: listening on {host} without HTTPS; tokens and household data "
            "cross the network in clear. Use --tls-cert/--tls-key or an HTTPS proxy.",
            style="yellow",
        )


def _users(users: Path | None, token: str | None) -> Users:
    """Who may use the service: a users file, one given token, or a token made up now."""
    from .._service import Users, new_token, token_hash

    if users is not None and token is not None:
        raise InputError(
            [Issue("command line", "--token", "both --users and --token", "give one of them")]
        )
    if users is not None:
        return Users.read(users)
    if token is None:
        token = new_token()
        err().print(
            "No --users or --token given. Token of user 'coordinator' for this run "
            f"(shown once): {token}",
            highlight=False,
            markup=False,
        )
    return Users({"coordinator": token_hash(token)})


def _run(config: ServiceConfig, host: str, port: int, cert: Path | None, key: Path | None) -> None:
    import uvicorn

    from .._service import create_app

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    service_log = logging.getLogger("ktj_logistics.service")
    service_log.addHandler(handler)
    service_log.setLevel(logging.INFO)
    config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    err().print(
        f"ktj-route service on {'https' if cert else 'http'}://{host}:{port}/ "
        f"(state {config.state_dir}, {config.workers} planner(s))",
        highlight=False,
        markup=False,
    )
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        ssl_certfile=str(cert) if cert else None,
        ssl_keyfile=str(key) if key else None,
        server_header=False,
    )
