from __future__ import annotations

from django.urls import path

from licensing.scim import pages as scim_pages
from licensing.views import bulk, csv, overview, packages, subscriptions, templates, users

urlpatterns = [
    path("scim/", scim_pages.ConnectionListView.as_view(), name="scim-connections"),
    path(
        "scim/<int:pk>/<str:action>/",
        scim_pages.ConnectionActionView.as_view(),
        name="scim-connection-action",
    ),
    path("overview/", overview.OrgOverviewView.as_view(), name="org-overview"),
    path("users/", users.UserListView.as_view(), name="user-list"),
    path("users/csv/", csv.UserCsvUploadView.as_view(), name="user-csv-upload"),
    path("users/csv/export/", csv.UserCsvExportView.as_view(), name="user-csv-export"),
    path("users/add/", users.AddUsersView.as_view(), name="user-add"),
    path("users/bulk/", bulk.BulkUsersView.as_view(), name="user-bulk"),
    path("users/<int:pk>/", users.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", users.UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/delete/", users.UserDeleteView.as_view(), name="user-delete"),
    path("users/<int:pk>/package/", packages.ChangePackageView.as_view(), name="user-package"),
    path("users/<int:pk>/licenses/", packages.EditLicensesView.as_view(), name="user-licenses"),
    path("subscriptions/", subscriptions.SubscriptionListView.as_view(), name="subscription-list"),
    path(
        "subscriptions/<int:pk>/edit/",
        subscriptions.SubscriptionEditView.as_view(),
        name="subscription-edit",
    ),
    path(
        "subscriptions/<int:pk>/<str:action>/",
        subscriptions.SubscriptionStatusView.as_view(),
        name="subscription-status",
    ),
    path("groups/", templates.GroupListView.as_view(), name="group-list"),
    path("groups/<int:pk>/delete/", templates.GroupDeleteView.as_view(), name="group-delete"),
    path("templates/", templates.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", templates.TemplateCreateView.as_view(), name="template-create"),
    path("templates/<int:pk>/edit/", templates.TemplateEditView.as_view(), name="template-edit"),
    path(
        "templates/<int:pk>/delete/", templates.TemplateDeleteView.as_view(), name="template-delete"
    ),
]
