"""``manage.py db_worker``: django-tasks-db's worker, which also reaps the jobs of
dead workers — once when it starts and every ``REAP_EVERY`` while it runs (on a
thread of the worker process, never of the web process)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as QueueWorkerCommand

from partnerhub.jobs import reaper

logger = logging.getLogger(__name__)


class Command(QueueWorkerCommand):
    help = (
        "Run a database background worker. Jobs whose worker died (killed, crashed, "
        "host gone) are marked failed at start and every few seconds."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reaper.reap_everywhere()
        stop = threading.Event()
        periodic = threading.Thread(target=_reap_until, args=(stop,), daemon=True)
        if not options.get("batch"):
            periodic.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            if periodic.is_alive():
                periodic.join(timeout=10)


def _reap_until(stop: threading.Event) -> None:
    while not stop.wait(reaper.REAP_EVERY.total_seconds()):
        try:
            reaper.reap_everywhere()
        except Exception:  # the worker keeps running; the next check tries again
            logger.exception("reaping dead workers' jobs failed")
        finally:
            connections.close_all()
