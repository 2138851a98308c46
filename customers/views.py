from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnerhub import permissions


@login_required
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    customers = permissions.visible_customers(request.user).order_by("name")
    return render(request, "customers/dashboard.html", {"customers": customers})
