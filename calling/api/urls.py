from __future__ import annotations

from django.urls import path

from calling.api import views

urlpatterns = [
    path("locations/", views.LocationListAPI.as_view(), name="api-calling-location-list"),
    path(
        "locations/<int:pk>/",
        views.LocationDetailAPI.as_view(),
        name="api-calling-location-detail",
    ),
    path("numbers/", views.NumberListAPI.as_view(), name="api-calling-number-list"),
    path("users/<int:pk>/", views.UserCallingAPI.as_view(), name="api-calling-user"),
]
