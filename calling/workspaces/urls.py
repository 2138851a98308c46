"""Workspace pages, at /calling/workspaces/ on the org host."""

from __future__ import annotations

from django.urls import path

from calling.workspaces import views

urlpatterns = [
    path("", views.WorkspaceListView.as_view(), name="calling-workspace-list"),
    path("new/", views.WorkspaceCreateView.as_view(), name="calling-workspace-create"),
    path("csv/", views.WorkspaceCsvUploadView.as_view(), name="calling-workspace-csv"),
    path(
        "csv/export/",
        views.WorkspaceCsvExportView.as_view(),
        name="calling-workspace-csv-export",
    ),
    path("<int:pk>/", views.WorkspaceDetailView.as_view(), name="calling-workspace-detail"),
    path(
        "<int:pk>/licenses/",
        views.WorkspaceLicensesView.as_view(),
        name="calling-workspace-licenses",
    ),
    path(
        "<int:pk>/restore/",
        views.WorkspaceRestoreView.as_view(),
        name="calling-workspace-restore",
    ),
    path("<int:pk>/delete/", views.WorkspaceDeleteView.as_view(), name="calling-workspace-delete"),
]
