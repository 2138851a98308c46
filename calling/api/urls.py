from __future__ import annotations

from django.urls import include, path

from calling.api import provisioning, user_settings, views

urlpatterns = [
    path("directory-sync/", provisioning.DirectorySyncAPI.as_view(), name="api-directory-sync"),
    path(
        "provisioning-failures/",
        provisioning.FailureReportAPI.as_view(),
        name="api-calling-failure-report",
    ),
    path(
        "provisioning-failures.csv",
        provisioning.FailureReportCsvAPI.as_view(),
        name="api-calling-failure-report-csv",
    ),
    path(
        "templates/<int:pk>/apply/",
        provisioning.TemplateApplyAPI.as_view(),
        name="api-calling-template-apply",
    ),
    path("locations/", views.LocationListAPI.as_view(), name="api-calling-location-list"),
    path(
        "locations/<int:pk>/",
        views.LocationDetailAPI.as_view(),
        name="api-calling-location-detail",
    ),
    path(
        "locations/<int:pk>/default/",
        views.LocationDefaultAPI.as_view(),
        name="api-calling-location-default",
    ),
    path("numbers/", views.NumberListAPI.as_view(), name="api-calling-number-list"),
    path("users/<int:pk>/", views.UserCallingAPI.as_view(), name="api-calling-user"),
    path("workspaces/", include("calling.workspaces.api_urls")),
    path(
        "users/<int:pk>/details/",
        user_settings.UserCallingDetailsAPI.as_view(),
        name="api-calling-user-details",
    ),
    path(
        "users/<int:pk>/voicemail/",
        user_settings.UserVoicemailAPI.as_view(),
        name="api-calling-user-voicemail",
    ),
    path(
        "users/<int:pk>/settings/",
        user_settings.UserCallSettingsAPI.as_view(),
        name="api-calling-user-settings",
    ),
    path(
        "users/<int:pk>/restore/",
        user_settings.UserRestoreCallingAPI.as_view(),
        name="api-calling-user-restore",
    ),
]
