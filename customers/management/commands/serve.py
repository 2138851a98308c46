"""First run in one command: migrations, demo data, web server and task worker; it
says what it does, and on exit stops the worker and the embedded PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from partnerhub.database import stop_embedded_database


class Command(BaseCommand):
    help = "Migrate, load demo data, then run the web server and one task worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a local dev server
        parser.add_argument("--no-demo", action="store_true", help="skip the demo data")
        parser.add_argument("--no-worker", action="store_true", help="run no task worker")

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        settings.PARTNERHUB_LINK_PORT = str(options["port"])
        database = settings.DATABASES["default"]
        self.say(
            f"Database: {database.get('HOST') or 'localhost'} (PostgreSQL, {database['NAME']})"
        )
        self.say("Migrating the database (public schema and every org)…")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        if not options["no_demo"]:
            self.say("Loading the demo data (idempotent)…")
            call_command("demo")
        worker = None if options["no_worker"] else self._start_worker()
        self.say(
            f"Serving on http://localhost:{options['port']}/ (partner hub) and "
            f"http://<org id>.localhost:{options['port']}/ (each org). Ctrl-C stops everything."
        )
        # SIGTERM stops the server like Ctrl-C does, so the worker is stopped too.
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", "--noreload")
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(worker)

    def _stop(self, worker: subprocess.Popen[bytes] | None) -> None:
        if worker is not None:
            self.say("Stopping the task worker…")
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        connections.close_all()
        if stop_embedded_database(base_dir=settings.BASE_DIR):
            self.say("Stopped the embedded PostgreSQL.")

    def _start_worker(self) -> subprocess.Popen[bytes]:
        self.say("Starting the task worker (manage.py db_worker)…")
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            # --no-reload: one process (DEBUG would add an autoreloader parent whose orphaned
            # child kept the embedded PostgreSQL in use after Ctrl-C).
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"],
            cwd=settings.BASE_DIR,
        )
