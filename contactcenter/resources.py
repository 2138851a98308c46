"""The agent template: agent details of the synced agents as CSV (SPEC §7).

django-import-export parses, validates and diffs; it never saves: ``save_instance``
only collects the changed agents, and ``services.agent_template`` writes them (with
audit, in one transaction) when the whole file is valid.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from contactcenter.models import Agent, SyncStatus

DETAIL_FIELDS = ("team", "site", "skill_profile", "agent_profile")
MAX_DETAIL_LENGTH = 120


def _text(attribute: str, column: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column, widget=widgets.CharWidget(allow_blank=True)
    )


class AgentTemplateResource(resources.ModelResource):
    email = fields.Field(attribute="user__email", column_name="Agent Email", readonly=True)
    team = _text("team", "Team")
    site = _text("site", "Site")
    skill_profile = _text("skill_profile", "Skill Profile")
    agent_profile = _text("agent_profile", "Agent Profile")

    class Meta:
        model = Agent
        fields = ("email", *DETAIL_FIELDS)
        export_order = ("email", *DETAIL_FIELDS)
        import_id_fields = ("email",)
        skip_diff = True
        use_transactions = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agents: dict[str, Agent] = {}
        self.seen: set[str] = set()
        self.changed: list[Agent] = []

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        emails = {str(email or "").strip().lower() for email in dataset["Agent Email"]}
        agents = Agent.objects.select_related("user").filter(user__email__in=emails)
        self.agents = {agent.user.email: agent for agent in agents}

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Agent:
        email = str(row.get("Agent Email") or "").strip().lower()
        if not email:
            raise ValidationError("Agent Email is empty: every row names one agent.")
        if email in self.seen:
            raise ValidationError(f"{email} appears more than once in the file.")
        self.seen.add(email)
        agent = self.agents.get(email)
        if agent is None:
            raise ValidationError(
                f"{email} is not a contact-center agent of this organisation: give the "
                "user a contact-center license and synchronize users first."
            )
        if agent.sync_status != SyncStatus.SYNCED:
            raise ValidationError(
                f"{email} is not synced yet ({agent.get_sync_status_display()}): run "
                "Synchronize users, then upload the agent template again."
            )
        return agent

    def import_instance(self, instance: Agent, row: dict[str, Any], **kwargs: Any) -> None:
        self.originals = {name: getattr(instance, name) for name in DETAIL_FIELDS}
        super().import_instance(instance, row, **kwargs)
        errors = {
            name: f"At most {MAX_DETAIL_LENGTH} characters."
            for name in DETAIL_FIELDS
            if len(getattr(instance, name) or "") > MAX_DETAIL_LENGTH
        }
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: Agent, is_create: bool, row: Any, **kwargs: Any) -> None:
        if any(getattr(instance, name) != self.originals[name] for name in DETAIL_FIELDS):
            self.changed.append(instance)

    def save_m2m(self, instance: Agent, row: Any, **kwargs: Any) -> None:
        return None
