"""Calling pages, at /calling/ on the org host."""

from __future__ import annotations

from django.urls import include, path

from calling.views import locations, numbers, provisioning, users

urlpatterns = [
    path(
        "directory-sync/", provisioning.DirectorySyncView.as_view(), name="calling-directory-sync"
    ),
    path(
        "provisioning-failures/",
        provisioning.FailureReportView.as_view(),
        name="calling-failure-report",
    ),
    path(
        "provisioning-failures.csv",
        provisioning.FailureReportCsvView.as_view(),
        name="calling-failure-report-csv",
    ),
    path(
        "templates/<int:pk>/apply/",
        provisioning.TemplateApplyView.as_view(),
        name="calling-template-apply",
    ),
    path("locations/", locations.LocationListView.as_view(), name="calling-location-list"),
    path("locations/new/", locations.LocationCreateView.as_view(), name="calling-location-create"),
    path(
        "locations/<int:pk>/",
        locations.LocationDetailView.as_view(),
        name="calling-location-detail",
    ),
    path(
        "locations/<int:pk>/edit/",
        locations.LocationEditView.as_view(),
        name="calling-location-edit",
    ),
    path(
        "locations/<int:pk>/default/",
        locations.LocationDefaultView.as_view(),
        name="calling-location-default",
    ),
    path(
        "locations/<int:pk>/delete/",
        locations.LocationDeleteView.as_view(),
        name="calling-location-delete",
    ),
    path("numbers/", numbers.NumberListView.as_view(), name="calling-number-list"),
    path("numbers/add/", numbers.AddNumbersView.as_view(), name="calling-number-add"),
    path("users/<int:user_id>/", users.UserCallingView.as_view(), name="calling-user"),
    path(
        "users/<int:user_id>/details/",
        users.UserCallingDetailsView.as_view(),
        name="calling-user-details",
    ),
    path(
        "users/<int:user_id>/voicemail/",
        users.UserVoicemailView.as_view(),
        name="calling-user-voicemail",
    ),
    path(
        "users/<int:user_id>/settings/",
        users.UserCallSettingsView.as_view(),
        name="calling-user-settings",
    ),
    path(
        "users/<int:user_id>/restore/",
        users.UserRestoreCallingView.as_view(),
        name="calling-user-restore",
    ),
    path("workspaces/", include("calling.workspaces.urls")),
]
