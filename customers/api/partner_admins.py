"""Partner-admin management API: the same services as the partner admins page
(full administrators only; another partner's admin is a 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import partner_admins
from customers.models import Customer
from partnerhub import mfa, permissions
from partnerhub.audit.services import Actor
from partnerhub.models import PartnerMembership, PartnerRole


class PartnerAdminOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    email = serializers.EmailField(source="account.email")
    partner = serializers.CharField(source="partner.slug")
    role = serializers.CharField()
    all_customers = serializers.BooleanField()
    customers = serializers.SerializerMethodField()

    def get_customers(self, membership: PartnerMembership) -> list[int]:
        return sorted(a.customer_id for a in membership.assignments.all())


class PartnerAdminAddIn(serializers.Serializer):
    email = serializers.CharField(help_text="Checked by the one e-mail rule.")
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    all_customers = serializers.BooleanField(default=False)
    partner = serializers.SlugField(required=False, help_text="Needed if you admin several.")


class PartnerAdminChangeIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    all_customers = serializers.BooleanField(default=False)
    customers = serializers.ListField(child=serializers.IntegerField(), default=list)


def _managed_partner(request: Request, slug: str | None):  # type: ignore[no-untyped-def]
    memberships = permissions.partner_memberships(request.user).filter(role=PartnerRole.FULL_ADMIN)
    if slug:
        memberships = memberships.filter(partner__slug=slug)
    membership = memberships.order_by("partner__name").first()
    if membership is None:
        raise PermissionDenied("Only a partner's full administrators manage its administrators.")
    return membership.partner


def _out(request: Request, pk: int) -> dict:
    return PartnerAdminOut(partner_admins.get_managed_membership(request.user, pk)).data


class PartnerAdminListApi(APIView):
    @extend_schema(operation_id="partner_admins_list", responses=PartnerAdminOut(many=True))
    def get(self, request: Request) -> Response:
        _managed_partner(request, None)
        memberships = partner_admins.managed_memberships(request.user)
        return Response(PartnerAdminOut(memberships, many=True).data)

    @extend_schema(request=PartnerAdminAddIn, responses={201: PartnerAdminOut})
    def post(self, request: Request) -> Response:
        data = PartnerAdminAddIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        partner = _managed_partner(request, values.pop("partner", None))
        membership = partner_admins.add_partner_admin(
            partner=partner, actor=Actor.from_request(request), **values
        )
        return Response(_out(request, membership.pk), status=status.HTTP_201_CREATED)


class PartnerAdminDetailApi(APIView):
    @extend_schema(responses=PartnerAdminOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_out(request, pk))

    @extend_schema(request=PartnerAdminChangeIn, responses=PartnerAdminOut)
    def patch(self, request: Request, pk: int) -> Response:
        membership = partner_admins.get_managed_membership(request.user, pk)
        data = PartnerAdminChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        wanted = values.pop("customers")
        customers = list(Customer.objects.filter(pk__in=wanted))
        unknown = sorted(set(wanted) - {c.pk for c in customers})
        if unknown:
            raise serializers.ValidationError({"customers": [f"No such customers: {unknown}."]})
        partner_admins.change_partner_admin(
            membership=membership, customers=customers, actor=Actor.from_request(request), **values
        )
        return Response(_out(request, pk))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        membership = partner_admins.get_managed_membership(request.user, pk)
        partner_admins.remove_partner_admin(
            membership=membership, actor=Actor.from_request(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerAdminInvitationApi(APIView):
    """POST: send the admin a new set-password link."""

    @extend_schema(request=None, responses=PartnerAdminOut)
    def post(self, request: Request, pk: int) -> Response:
        membership = partner_admins.get_managed_membership(request.user, pk)
        partner_admins.resend_invitation(membership=membership, actor=Actor.from_request(request))
        return Response(_out(request, pk))


class SecurityIo(serializers.Serializer):
    require_mfa = serializers.BooleanField(
        help_text="Every partner admin must sign in with a second factor."
    )
    partner = serializers.SlugField(required=False, write_only=True)


class PartnerSecurityApi(APIView):
    """GET / PUT whether the partner's admins must use a second factor."""

    @extend_schema(responses=SecurityIo)
    def get(self, request: Request) -> Response:
        partner = _managed_partner(request, request.query_params.get("partner"))
        return Response({"require_mfa": partner.require_mfa})

    @extend_schema(request=SecurityIo, responses=SecurityIo)
    def put(self, request: Request) -> Response:
        data = SecurityIo(data=request.data)
        data.is_valid(raise_exception=True)
        partner = _managed_partner(request, data.validated_data.get("partner"))
        partner = mfa.set_partner_requirement(
            partner=partner,
            required=data.validated_data["require_mfa"],
            actor=Actor.from_request(request),
        )
        return Response({"require_mfa": partner.require_mfa})
