"""The connection a running job writes its progress on, its heartbeat and the
advisory lock that tells the reaper the worker still lives."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import zlib
from typing import Any

import psycopg
from django.db import connection
from django.utils import timezone

from partnerhub.jobs.models import OrgJob

# The heartbeat is written this often while a job runs; a claimed job not heard of
# for STALE_AFTER (a few beats) has lost its worker, even where its advisory lock
# cannot tell (a host cut off the network keeps its connection open for minutes).
HEARTBEAT_EVERY = dt.timedelta(seconds=5)
STALE_AFTER = 3 * HEARTBEAT_EVERY


def worker_name() -> str:
    """``host:pid`` of this process, written on the jobs it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def lock_key(schema_name: str, job_id: int) -> tuple[int, int]:
    """The advisory lock a running job holds on its progress connection: taken before
    the claim, released by PostgreSQL when the worker's process (or host) is gone."""
    return zlib.crc32(f"orgjob:{schema_name}".encode()) & 0x7FFFFFFF, job_id


class ProgressWriter:
    """Writes a job's progress on a connection of its own, so the task page shows it
    while the job's own transaction is still open (and may still roll back). The same
    connection holds the job's advisory lock (``lock_key``), and a thread beats the
    heartbeat, so a long step (one big statement) is never taken for a dead worker."""

    def __init__(self, job: OrgJob) -> None:
        self.job_id = job.pk
        self.schema_name = connection.schema_name
        self.table = f'"{self.schema_name}"."{OrgJob._meta.db_table}"'
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("server_side_binding", None)
        self._connection = psycopg.connect(**params, autocommit=True)
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._keep_alive, daemon=True)

    def lock(self) -> bool:
        """Take the job's advisory lock; False when another process holds it."""
        row = self._connection.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", lock_key(self.schema_name, self.job_id)
        ).fetchone()
        return bool(row and row[0])

    def start_heartbeat(self) -> None:
        self._beat.start()

    def _keep_alive(self) -> None:
        # Read at each beat, so a test can shorten it.
        while not self._stop.wait(HEARTBEAT_EVERY.total_seconds()):
            try:
                self.update()
            except psycopg.Error:
                return

    def update(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        assignments = ", ".join(f"{name} = %s" for name in fields)
        values = [
            psycopg.types.json.Jsonb(v) if isinstance(v, dict | list) else v
            for v in fields.values()
        ]
        try:
            self._connection.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = %s",  # noqa: S608 - names are ours
                [*values, self.job_id],
            )
        except psycopg.errors.UndefinedTable:
            # The org's schema is not committed yet (made in the caller's open
            # transaction, as a command or test may): no page can show progress anyway.
            return

    def close(self) -> None:
        self._stop.set()
        if self._beat.is_alive():
            self._beat.join(timeout=5)
        self._connection.close()  # releases the advisory lock
