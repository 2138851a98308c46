"""Writing a user CSV's new users while the rest of the file is still validated
(SPEC §9: Python validates, PostgreSQL writes, on two cores at once).

The validator hands over each chunk of rows it has planned (``offer``); while no row
of the file has an error, a worker thread writes the chunk's new users through the one
user-writing path (``create_users``: e-mail claim, ids, COPY) with their included basic
licenses, on the import's own connection and in its transaction, while the main thread
validates the next rows (no query of its own until ``wait``). The file's last chunk is
left to ``apply_plan``, like every other change.

Nothing is half-applied: it all happens inside the transaction ``import_users`` opens
around validation and applying; a row error anywhere (found before or after a chunk
was written), a file error or any exception rolls all of it back. Every error of every
row is still reported: validation goes on to the end whatever was written.

Foreign keys of the rows written early are checked as each statement ends
(``SET CONSTRAINTS ALL IMMEDIATE``), also while the next rows are validated, instead
of all at commit; the rest of the import defers them as usual.
"""

from __future__ import annotations

import queue
import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from licensing import catalogue
from licensing.csv.plans import RowPlan
from licensing.models import OrgUser
from licensing.services.bulk_users import NEW_USER_FIELDS, NewUser, create_users
from licensing.services.templates import grant_included
from partnerhub.audit.services import Actor

CHUNK = 2000  # rows validated between two hand-overs


def new_user_of(row: RowPlan) -> NewUser:
    """What a create row writes through ``create_users``."""
    return NewUser(email=row.email, **{k: v for k, v in row.fields.items() if k in NEW_USER_FIELDS})


def decided_of(row: RowPlan) -> set[str]:
    """The license types a create row settled (a package cell settles every package),
    which neither the templates nor the included basic licenses override."""
    settled = set(row.decided)
    if "package" in settled:
        settled |= set(catalogue.PACKAGES)
    return settled


def create_with_included(
    rows: list[RowPlan], actor: Actor
) -> tuple[list[int], dict[int, list[str]]]:
    """Create the rows' users and give them the included basic licenses their rows did
    not settle; returns their ids (in order) and ``{user id: [license type given]}``."""
    ids = create_users(users=[new_user_of(r) for r in rows], actor=actor, audit_action=None)
    users = [
        OrgUser.from_db(None, ["id", "email"], (i, r.email)) for i, r in zip(ids, rows, strict=True)
    ]  # deferred instances: a fraction of ``OrgUser(…)``'s cost
    given = grant_included(
        users=users,
        held={i: set(r.add) for i, r in zip(ids, rows, strict=True)},
        decided={i: decided_of(r) for i, r in zip(ids, rows, strict=True)},
        actor=actor,
        audited=False,
    )
    return ids, given


class EarlyCreates:
    """The worker writing planned new users during validation (see the module)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.ids: dict[int, int] = {}  # row number -> id of the user written
        self.included: dict[int, list[str]] = {}  # user id -> included licenses given
        self._chunks: queue.SimpleQueue[list[RowPlan] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopped = False

    def offer(self, rows: list[RowPlan], *, last: bool) -> None:
        """Rows just planned. Their new users are written now unless this is the
        file's last chunk or a row has an error by now (then nothing more is written:
        the import will be rolled back)."""
        if self._stopped:
            return
        if any(r.errors for r in rows):
            self._stopped = True
            return
        creates = [r for r in rows if r.action == "create"]
        if last or not creates:
            return
        if self._thread is None:
            shared = connections[DEFAULT_DB_ALIAS]
            shared.inc_thread_sharing()
            self._thread = threading.Thread(
                target=self._work, args=(shared,), name="csv-early-creates", daemon=True
            )
            self._thread.start()
        self._chunks.put(creates)

    def wait(self) -> None:
        """Until every chunk handed over is written; re-raises the worker's error."""
        if self._thread is not None:
            self._chunks.put(None)
            self._thread.join()
            self._thread = None
            connections[DEFAULT_DB_ALIAS].dec_thread_sharing()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def assign(self, rows: list[RowPlan]) -> None:
        """Give the rows written early their user ids (after validation)."""
        for row in rows:
            if row.number in self.ids:
                row.user_id = self.ids[row.number]

    def _work(self, shared: BaseDatabaseWrapper) -> None:
        connections[DEFAULT_DB_ALIAS] = shared  # the import's connection and transaction
        try:
            with shared.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for chunk in iter(self._chunks.get, None):
                if self._error is None:
                    ids, given = create_with_included(chunk, self.actor)
                    self.ids.update((r.number, i) for r, i in zip(chunk, ids, strict=True))
                    self.included.update(given)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self._error = error
            for _ in iter(self._chunks.get, None):
                pass
        else:
            with shared.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
