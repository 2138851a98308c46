from __future__ import annotations

from django.urls import path

from calling.api import user_settings, views

urlpatterns = [
    path("locations/", views.LocationListAPI.as_view(), name="api-calling-location-list"),
    path(
        "locations/<int:pk>/",
        views.LocationDetailAPI.as_view(),
        name="api-calling-location-detail",
    ),
    path("numbers/", views.NumberListAPI.as_view(), name="api-calling-number-list"),
    path("users/<int:pk>/", views.UserCallingAPI.as_view(), name="api-calling-user"),
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
