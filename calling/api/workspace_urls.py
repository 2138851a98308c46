"""Workspaces API, at /api/calling/workspaces/ on the org host."""

from __future__ import annotations

from django.urls import path

from calling.api import workspaces

urlpatterns = [
    path("", workspaces.WorkspaceListAPI.as_view(), name="api-calling-workspace-list"),
    path("csv/", workspaces.WorkspaceCsvAPI.as_view(), name="api-calling-workspace-csv"),
    path("<int:pk>/", workspaces.WorkspaceDetailAPI.as_view(), name="api-calling-workspace-detail"),
    path(
        "<int:pk>/license/",
        workspaces.WorkspaceLicenseAPI.as_view(),
        name="api-calling-workspace-license",
    ),
    path(
        "<int:pk>/restore/",
        workspaces.WorkspaceRestoreAPI.as_view(),
        name="api-calling-workspace-restore",
    ),
]
