"""Contact-center API, at /api/contact-center/ on the org host."""

from __future__ import annotations

from django.urls import path

from contactcenter.api import views

urlpatterns = [
    path("agents/", views.AgentListAPI.as_view(), name="cc-api-agents"),
    path("users/<int:user_id>/", views.UserContactCenterAPI.as_view(), name="cc-api-user"),
    path(
        "users/<int:user_id>/admin-rights/",
        views.AdminRightsAPI.as_view(),
        name="cc-api-admin-rights",
    ),
    path("synchronize/", views.SynchronizeUsersAPI.as_view(), name="cc-api-synchronize"),
    path("sync-runs/", views.SyncRunListAPI.as_view(), name="cc-api-sync-runs"),
    path("sync-runs/<int:pk>/", views.SyncRunAPI.as_view(), name="cc-api-sync-run"),
    path("agent-template/", views.AgentTemplateAPI.as_view(), name="cc-api-agent-template"),
]
