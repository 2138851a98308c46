"""Forms of the contact-center pages (SPEC §7). ``ContactCenterForm`` is also the
fragment for the add-users flow: render it with a prefix, then call ``apply``."""

from __future__ import annotations

from django import forms

from contactcenter.models import Agent, AgentRole
from contactcenter.services import set_contact_center
from licensing import catalogue
from licensing.models import OrgUser
from partnerhub.audit.services import Actor

NO_CONTACT_CENTER = ""
LICENSE_CHOICES = [
    (NO_CONTACT_CENTER, "No contact center"),
    (catalogue.CC_STANDARD, "Standard Agent"),
    (catalogue.CC_PREMIUM, "Premium Agent"),
]


class ContactCenterForm(forms.Form):
    """Contact center → license type → role (Premium: Agent or Supervisor)."""

    license_type = forms.ChoiceField(
        label="Contact center license", choices=LICENSE_CHOICES, required=False
    )
    role = forms.ChoiceField(
        label="Role",
        choices=AgentRole.choices,
        initial=AgentRole.AGENT,
        required=False,
        help_text="Premium Agent only. Administrator rights are granted on the user's "
        "contact-center page once the user has Premium.",
    )

    @classmethod
    def for_agent(cls, agent: Agent | None, **kwargs: object) -> ContactCenterForm:
        initial = {"license_type": agent.license_type, "role": agent.role} if agent else {}
        return cls(initial=initial, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("license_type") != catalogue.CC_PREMIUM:
            data["role"] = AgentRole.AGENT  # Standard or none: the role does not apply
        return data

    def chosen_license(self) -> str | None:
        return self.cleaned_data.get("license_type") or None

    def apply(self, *, user: OrgUser, actor: Actor) -> Agent | None:
        """Set the user's contact center as chosen (raises ``DomainError``s)."""
        return set_contact_center(
            user=user,
            license_type=self.chosen_license(),
            role=self.cleaned_data.get("role") or AgentRole.AGENT,
            actor=actor,
        )


class AgentTemplateUploadForm(forms.Form):
    file = forms.FileField(label="Agent template (CSV)")
