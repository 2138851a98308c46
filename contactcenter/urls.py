"""Contact-center pages, at /contact-center/ on the org host."""

from __future__ import annotations

from django.urls import path

from contactcenter import views

urlpatterns = [
    path("", views.ContactCenterUsersView.as_view(), name="cc-users"),
    path("users/<int:user_id>/", views.UserContactCenterView.as_view(), name="cc-user"),
    path(
        "users/<int:user_id>/admin-rights/",
        views.AdminRightsView.as_view(),
        name="cc-admin-rights",
    ),
    path("settings/", views.SettingsView.as_view(), name="cc-settings"),
    path("sync-runs/<int:pk>/", views.SyncRunView.as_view(), name="cc-sync-run"),
    path("agent-template/", views.AgentTemplateView.as_view(), name="cc-agent-template"),
    path(
        "agent-template/export/",
        views.AgentTemplateExportView.as_view(),
        name="cc-agent-template-export",
    ),
    path(
        "agent-template/uploads/<int:pk>/",
        views.AgentTemplateUploadView.as_view(),
        name="cc-agent-template-upload",
    ),
    path(
        "agent-template/uploads/<int:pk>/errors.csv",
        views.AgentTemplateErrorReportView.as_view(),
        name="cc-agent-template-errors",
    ),
]
