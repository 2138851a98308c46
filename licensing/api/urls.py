from __future__ import annotations

from django.urls import path

from licensing.api import csv, views

urlpatterns = [
    path("users/csv/", csv.UserCsvApi.as_view(), name="api-user-csv"),
    path("users/", views.UserListAPI.as_view(), name="api-user-list"),
    path("users/<int:pk>/", views.UserDetailAPI.as_view(), name="api-user-detail"),
    path("users/<int:pk>/package/", views.UserPackageAPI.as_view(), name="api-user-package"),
    path(
        "users/<int:pk>/licenses/move/",
        views.UserLicenseMoveAPI.as_view(),
        name="api-user-license-move",
    ),
    path("subscriptions/", views.SubscriptionListAPI.as_view(), name="api-subscription-list"),
    path(
        "subscriptions/<int:pk>/",
        views.SubscriptionDetailAPI.as_view(),
        name="api-subscription-detail",
    ),
    path(
        "subscriptions/<int:pk>/status/",
        views.SubscriptionStatusAPI.as_view(),
        name="api-subscription-status",
    ),
    path("groups/", views.GroupListAPI.as_view(), name="api-group-list"),
    path("groups/<int:pk>/", views.GroupDetailAPI.as_view(), name="api-group-detail"),
    path("templates/", views.TemplateListAPI.as_view(), name="api-template-list"),
    path("templates/<int:pk>/", views.TemplateDetailAPI.as_view(), name="api-template-detail"),
]
