from __future__ import annotations

from django.urls import path

from customers.subscriptions import views

urlpatterns = [
    path(
        "partner/customers/<int:customer_id>/subscriptions/",
        views.subscription_list,
        name="partner-subscriptions",
    ),
    path(
        "partner/customers/<int:customer_id>/subscriptions/<int:subscription_id>/",
        views.subscription_change,
        name="partner-subscription-change",
    ),
    path(
        "partner/customers/<int:customer_id>/subscriptions/<int:subscription_id>/<str:action>/",
        views.subscription_status,
        name="partner-subscription-status",
    ),
    path(
        "partner/customers/<int:customer_id>/packages/",
        views.enabled_packages,
        name="partner-enabled-packages",
    ),
]

from customers.subscriptions import api  # noqa: E402

api_urlpatterns = [
    path(
        "customers/<int:pk>/subscriptions/",
        api.CustomerSubscriptionsApi.as_view(),
        name="api-partner-subscriptions",
    ),
    path(
        "customers/<int:pk>/subscriptions/<int:subscription_id>/",
        api.CustomerSubscriptionApi.as_view(),
        name="api-partner-subscription",
    ),
    path(
        "customers/<int:pk>/subscriptions/<int:subscription_id>/status/",
        api.CustomerSubscriptionStatusApi.as_view(),
        name="api-partner-subscription-status",
    ),
    path(
        "customers/<int:pk>/packages/",
        api.CustomerPackagesApi.as_view(),
        name="api-partner-packages",
    ),
]
