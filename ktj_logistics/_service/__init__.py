"""The planning service (``ktj-route serve``): an HTTP API and a coordinator's page.

Needs the ``service`` extra (FastAPI, uvicorn). See ``docs/service.md`` for the API
contract. Days are planned through ``ktj_logistics.plan`` in worker processes; jobs and
their files live in a state folder (SQLite + one folder per job).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import create_app
    from .config import Limits, ServiceConfig, Users, add_user, new_token, token_hash
else:  # on first use (``_lazy``): ``ktj-route serve --add-user`` needs no web framework
    from .. import _lazy

    __getattr__, __dir__ = _lazy.lazy_exports(
        __name__,
        {
            ".app": "create_app",
            ".config": "Limits ServiceConfig Users add_user new_token token_hash",
        },
    )

__all__ = ["Limits", "ServiceConfig", "Users", "add_user", "create_app", "new_token", "token_hash"]
