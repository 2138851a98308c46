"""Org API of the licensing app: thin — parse, call a service, serialize."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import selectors
from licensing.api import serializers as s
from licensing.models import AutoLicenseTemplate, Group
from licensing.services import groups as group_services
from licensing.services import packages, templates
from licensing.services import subscriptions as subscription_services
from licensing.services import users as user_services
from licensing.services.licenses import move_license
from partnerhub.audit.services import Actor
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class OrgAPIView(APIView):
    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_USERS


class UserListAPI(OrgAPIView, GenericAPIView):
    """GET: users (``q``, ``package``, ``status``, ``page``). POST: add up to 25."""

    serializer_class = s.UserOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        return selectors.user_list(
            search=params.get("q", "") or params.get("search", ""),
            package=params.get("package", ""),
            status=params.get("status", ""),
        )

    @extend_schema(operation_id="users_list", responses=s.UserOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.UserOut(page, many=True).data)

    @extend_schema(request=s.AddUsersIn, responses=s.OutcomeOut(many=True))
    def post(self, request: Request) -> Response:
        data = _valid(s.AddUsersIn, request)
        contact_center = data["contact_center"]
        result = user_services.add_users(
            entries=[user_services.UserEntry(**entry) for entry in data["entries"]],
            package_line=data["package_line"],
            actor=Actor.from_request(request),
            send_invitations=data["send_invitations"],
            calling=s.calling_from(data["calling"]),
            contact_center=user_services.ContactCenterChoice(**contact_center)
            if contact_center
            else None,
        )
        body = {
            "created": len(result.created),
            "updated": len(result.updated),
            "failed": len(result.failed),
            "outcomes": s.OutcomeOut(result.outcomes, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else 200)


def _valid(serializer_class: type, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _user(pk: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.user_list(), pk=pk)


class UserDetailAPI(OrgAPIView):
    @extend_schema(responses=s.UserOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.UserOut(_user(pk)).data)

    @extend_schema(request=s.UserUpdateIn, responses=s.UserOut)
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        data = dict(_valid(s.UserUpdateIn, request))
        groups = data.pop("groups", None)
        actor = Actor.from_request(request)
        user_services.update_user(user=user, actor=actor, **data)
        if groups is not None:
            user_services.set_user_groups(user=user, groups=groups, actor=actor)
        return Response(s.UserOut(_user(pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        user_services.delete_users(users=[_user(pk)], actor=Actor.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserPackageAPI(OrgAPIView):
    """POST ``{"line": id|null, "calling": {...}, "confirm_calling_loss": bool}``."""

    @extend_schema(request=s.ChangePackageIn, responses=s.UserOut)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        data = _valid(s.ChangePackageIn, request)
        packages.change_package(
            user=user,
            line=data["line"],
            actor=Actor.from_request(request),
            calling=s.calling_from(data["calling"]),
            confirm_calling_loss=data["confirm_calling_loss"],
        )
        return Response(s.UserOut(_user(pk)).data)


class UserLicenseMoveAPI(OrgAPIView):
    """POST ``{"from_line": id, "to_line": id}``: edit licenses (SPEC §5)."""

    @extend_schema(request=s.MoveLicenseIn, responses=s.UserOut)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        data = _valid(s.MoveLicenseIn, request)
        move_license(
            holder=user,
            from_line=data["from_line"],
            to_line=data["to_line"],
            actor=Actor.from_request(request),
        )
        return Response(s.UserOut(_user(pk)).data)


class SubscriptionListAPI(OrgAPIView):
    write_capability = Capability.MANAGE_SUBSCRIPTIONS

    @extend_schema(operation_id="subscriptions_list", responses=s.SubscriptionOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.SubscriptionOut(selectors.subscriptions_with_usage(), many=True).data)

    @extend_schema(request=s.SubscriptionAddIn, responses={201: s.SubscriptionOut})
    def post(self, request: Request) -> Response:
        """Add a subscription (a launched view with a selling partner role only)."""
        data = _valid(s.SubscriptionAddIn, request)
        added = subscription_services.create_subscription(
            external_id=data["external_id"].strip(),
            quantities=data["quantities"],
            end_date=data["end_date"],
            actor=Actor.from_request(request),
        )
        return Response(s.SubscriptionOut(_subscription(added.pk)).data, status=201)


def _subscription(pk: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.subscriptions_with_usage(), pk=pk)


class SubscriptionDetailAPI(OrgAPIView):
    write_capability = Capability.MANAGE_SUBSCRIPTIONS

    @extend_schema(responses=s.SubscriptionOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.SubscriptionOut(_subscription(pk)).data)

    @extend_schema(request=s.SubscriptionUpdateIn, responses=s.SubscriptionOut)
    def patch(self, request: Request, pk: int) -> Response:
        data = _valid(s.SubscriptionUpdateIn, request)
        subscription = _subscription(pk)
        with transaction.atomic():
            if data.get("quantities"):
                subscription_services.update_quantities(
                    subscription=subscription,
                    quantities=data["quantities"],
                    actor=Actor.from_request(request),
                )
            if "end_date" in data:
                subscription_services.change_end_date(
                    subscription=subscription,
                    end_date=data["end_date"],
                    actor=Actor.from_request(request),
                )
        return Response(s.SubscriptionOut(_subscription(pk)).data)


class SubscriptionStatusAPI(OrgAPIView):
    """POST ``{"action": "suspend"|"reactivate"|"cancel", "confirmation": "Sub-…"}``; the
    confirmation (the subscription id, typed) is needed only to cancel a subscription
    that still carries calling."""

    write_capability = Capability.MANAGE_SUBSCRIPTIONS

    @extend_schema(request=s.SubscriptionStatusIn, responses=s.SubscriptionOut)
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(s.SubscriptionStatusIn, request)
        subscription = _subscription(pk)
        actor = Actor.from_request(request)
        if data["action"] == "suspend":
            subscription_services.suspend_subscription(subscription=subscription, actor=actor)
        elif data["action"] == "reactivate":
            subscription_services.reactivate_subscription(subscription=subscription, actor=actor)
        else:
            subscription_services.cancel_subscription(
                subscription=subscription,
                actor=actor,
                confirmation=data["confirmation"],
            )
        return Response(s.SubscriptionOut(_subscription(pk)).data)


class TemplateListAPI(OrgAPIView):
    write_capability = Capability.MANAGE_ORG

    @extend_schema(operation_id="templates_list", responses=s.TemplateOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.TemplateOut(selectors.template_list(), many=True).data)

    @extend_schema(request=s.TemplateIn, responses=s.TemplateOut)
    def post(self, request: Request) -> Response:
        data = _valid(s.TemplateIn, request)
        template = templates.create_template(**data, actor=Actor.from_request(request))
        return Response(s.TemplateOut(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailAPI(OrgAPIView):
    write_capability = Capability.MANAGE_ORG

    @extend_schema(responses=s.TemplateOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.TemplateOut(get_object_or_404(selectors.template_list(), pk=pk)).data)

    @extend_schema(request=s.TemplateIn, responses=s.TemplateOut)
    def patch(self, request: Request, pk: int) -> Response:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        serializer = s.TemplateIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "group"}
        templates.update_template(template=template, **data, actor=Actor.from_request(request))
        return Response(s.TemplateOut(get_object_or_404(selectors.template_list(), pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        templates.delete_template(template=template, actor=Actor.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupListAPI(OrgAPIView):
    """GET: groups. POST ``{"name": ...}`` (full admin)."""

    write_capability = Capability.MANAGE_ORG

    @extend_schema(operation_id="groups_list", responses=s.GroupOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.GroupOut(selectors.group_list(), many=True).data)

    @extend_schema(request=s.GroupIn, responses=s.GroupOut)
    def post(self, request: Request) -> Response:
        data = _valid(s.GroupIn, request)
        group = group_services.create_group(name=data["name"], actor=Actor.from_request(request))
        return Response(s.GroupOut(selectors.group_list().get(pk=group.pk)).data, status=201)


class GroupDetailAPI(OrgAPIView):
    write_capability = Capability.MANAGE_ORG

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        group = get_object_or_404(Group, pk=pk)
        group_services.delete_group(group=group, actor=Actor.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
