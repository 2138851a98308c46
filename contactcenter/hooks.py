"""The contact center's side of licensing's seam (``licensing/services/hooks.py``: the
interface ``ContactCenterHooks``, bound at start-up from
``settings.LICENSING_CONTACT_CENTER_HOOKS``)."""

from __future__ import annotations

from contactcenter.services import agents, manual


class ContactCenterHooks:
    reconcile_agents = staticmethod(agents.reconcile_agents)
    agents_before_user_delete = staticmethod(agents.agents_before_user_delete)
    set_contact_center = staticmethod(manual.set_contact_center)
