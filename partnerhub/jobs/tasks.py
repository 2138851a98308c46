"""Background tasks that run an org's jobs (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task
from django_tenants.utils import tenant_context

from customers.models import Customer
from licensing.csv.errors import CsvFileError
from licensing.csv.imports import error_report, import_users
from partnerhub.audit.services import Actor
from partnerhub.jobs import services
from partnerhub.jobs.models import JobStatus, OrgJob


@task()
def run_user_csv_import(schema_name: str, job_id: int) -> None:
    """Validate then apply one uploaded users CSV (all or nothing)."""
    run_csv_job(schema_name, job_id, importer=import_users, report=error_report)


@task()
def run_workspace_csv_import(schema_name: str, job_id: int) -> None:
    """Validate then apply one uploaded workspaces CSV (all or nothing)."""
    from calling.workspace_csv.imports import error_report as workspace_report
    from calling.workspace_csv.imports import import_workspaces

    run_csv_job(schema_name, job_id, importer=import_workspaces, report=workspace_report)


def run_csv_job(schema_name: str, job_id: int, *, importer, report) -> None:  # type: ignore[no-untyped-def]
    """Run one CSV job of an org: status, progress on a connection of its own, counts,
    messages and error report; any failure leaves nothing applied."""
    # tenant_context, not schema_context: services need the org itself (connection.tenant).
    with tenant_context(Customer.objects.get(schema_name=schema_name)):
        job = OrgJob.objects.get(pk=job_id)
        progress = services.ProgressWriter(job)
        try:
            progress.update(status=JobStatus.VALIDATING)

            def report_progress(done: int) -> None:
                progress.update(status=JobStatus.RUNNING, rows_total=job.rows_total, rows_done=done)

            # The options the upload stored (mode, dry run, confirmations) go to the importer.
            options = {"mode": "add", "dry_run": False, **job.params}
            result = importer(
                content=bytes(job.content), actor=Actor.from_dict(job.actor),
                progress=lambda done: _count_rows(job, done, report_progress), **options,
            )  # fmt: skip
            services.finish_job(
                job=job, counts=result.counts,
                messages=_messages(result.plan, dry_run=not result.applied),
                error_report=report(result.plan) if result.plan.errors or result.plan.warnings else "",
            )  # fmt: skip
        except CsvFileError as error:
            services.fail_job(job_id=job.pk, reason=error.message)
        except Exception as error:  # a license line ran out, a bug: nothing was applied
            services.fail_job(job_id=job.pk, reason=getattr(error, "message", None) or repr(error))
            if not hasattr(error, "message"):
                raise
        finally:
            progress.close()


def _count_rows(job: OrgJob, done: int, report) -> None:  # type: ignore[no-untyped-def]
    if not job.rows_total:
        job.rows_total = max(1, bytes(job.content).count(b"\n") - 1)
    report(done)


def _messages(plan, *, dry_run: bool) -> list[dict]:  # type: ignore[no-untyped-def]
    """Row errors and warnings; for a dry run also what each changed row would do."""
    messages: list[dict] = [{"error": e} for e in plan.errors]
    messages += [{"warning": w} for w in plan.warnings]
    if not dry_run or plan.errors:
        return messages
    messages += [
        {"change": f"row {row.number}: {_label(row)} would be {ACTIONS[row.action]}"}
        for row in plan.rows
        if row.action != "unchanged" and not row.errors
    ][:1000]
    return messages


def _label(row) -> str:  # type: ignore[no-untyped-def]
    return getattr(row, "email", None) or row.name


ACTIONS = {
    "create": "created", "update": "updated", "move": "moved", "delete": "deleted",
    "remove_calling": "left without calling",
}  # fmt: skip
