"""Sign-in, sign-out, password change, the landing page and the API docs, on both hosts."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from partnerhub.forms import HostPasswordResetForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        from django.contrib import messages

        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Step 1 on either host: the same answer whether or not the address exists."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = HostPasswordResetForm


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Partner host: the partner's dashboard. Customer host: the org overview."""
    if connection.schema_name == "public":
        if request.user.partner_memberships.exists():
            return redirect("partner-dashboard")
        if request.user.is_staff:
            return redirect("admin:index")
        return render(request, "partnerhub/no_access.html", status=403)
    return redirect("org-overview")


class HostSchemaView(SpectacularAPIView):
    """The OpenAPI schema of the host asked: the partner API on the partner host, the
    org API on an org host (django-tenants sets ``request.urlconf`` per host)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        return super().get(request, *args, **kwargs)


# Redoc draws its page with styled-components, which writes <style> elements, and runs
# its search in a Worker made from a blob: URL; this one page allows both.
REDOC_CSP = {"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}


@method_decorator(csp_update(REDOC_CSP), name="get")
class RedocView(SpectacularRedocView):
    """The API reference as Redoc, from drf-spectacular-sidecar: no CDN, no web font."""

    template_name = "drf_spectacular/redoc_local.html"
