"""URLs both hosts share: sign-in, sign-out, password, admin, API schema."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView

from partnerhub import invitation_views, mfa_views, token_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", invitation_views.accept_invitation, name="invitation-accept"),
    path(
        "invitation/<str:token>/resend/",
        invitation_views.resend_from_link,
        name="invitation-resend",
    ),
    path("account/mfa/", mfa_views.setup, name="mfa-setup"),
    path("account/mfa/verify/", mfa_views.verify, name="mfa-verify"),
    path("account/mfa/recovery-codes/", mfa_views.renew_codes, name="mfa-renew-codes"),
    path("account/mfa/remove/", mfa_views.remove, name="mfa-remove"),
    path("tokens/", token_views.token_page, name="api-tokens-page"),
    path("tokens/<str:token_key>/revoke/", token_views.revoke_token_page, name="api-token-revoke"),
    path("api/tokens/", token_views.TokenListApi.as_view(), name="api-tokens"),
    path("api/tokens/<str:token_key>/", token_views.TokenDetailApi.as_view(), name="api-token"),
    path("api/auth/token/", token_views.TokenFromCredentialsApi.as_view(), name="api-token-obtain"),
    path("admin/", admin.site.urls),
    path("api/schema/", views.HostSchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", views.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
