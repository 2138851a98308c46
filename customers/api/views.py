"""Partner-level API: the same selectors and services as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import launch, selectors
from customers.api.serializers import CustomerOutputSerializer, ProvisionInputSerializer
from customers.invitations import first_admin_invitation, resend_first_admin_invitation
from customers.services import provision_customer
from customers.views import customer_csv_download
from partnerhub import permissions
from partnerhub.audit.services import Actor


def _params(request: Request) -> dict[str, str]:
    return {
        "search": request.query_params.get("search", "").strip(),
        "status": request.query_params.get("status", ""),
        "package": request.query_params.get("package", ""),
        "sort": ordering
        if (ordering := request.query_params.get("ordering", "name")) in selectors.SORTS
        else "name",
    }


class CustomerListApi(generics.ListAPIView):
    """Customers the caller sees: `search`, `status` (badge), `package`, `ordering`
    (name, status, users, utilisation, flags, created; a leading `-` sorts descending)."""

    serializer_class = CustomerOutputSerializer
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.customer_list(self.request.user, **_params(self.request))


class CustomerDetailApi(generics.RetrieveAPIView):
    serializer_class = CustomerOutputSerializer

    def get_object(self):  # type: ignore[no-untyped-def]
        customer = selectors.customer_list(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if customer is None:
            raise NotFound("No such customer.")
        return customer


class CustomerExportApi(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        return customer_csv_download(selectors.customer_list(request.user, **_params(request)))


class ProvisionApi(APIView):
    @extend_schema(request=ProvisionInputSerializer, responses={201: CustomerOutputSerializer})
    def post(self, request: Request) -> Response:
        data = ProvisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        partners = permissions.provisioning_partners(request.user, slug=values.get("partner"))
        if not partners:
            raise PermissionDenied("Only full and provisioning administrators provision customers.")
        customer = provision_customer(
            partner=partners[0],
            name=values["name"],
            slug=values["org_id"],
            admin_email=values["admin_email"],
            country=values["country"],
            packages=values["packages"],
            subscriptions=values["subscriptions"],
            actor=Actor.from_request(request),
            provisioned_by=request.user,
        )
        invitation = first_admin_invitation(account=request.user, customer_id=customer.pk)
        customer = selectors.customer_list(request.user).get(pk=customer.pk)
        body = CustomerOutputSerializer(customer).data
        # The org exists even when its invitation e-mail could not be sent (issue 9 §5).
        body["invitation"] = {"state": invitation.state, "error": invitation.error}
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationOut(serializers.Serializer):
    email = serializers.EmailField()
    state = serializers.ChoiceField(
        choices=["sent", "failed", "pending", "accepted", "expired", "none"]
    )
    error = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class CustomerInvitationApi(APIView):
    """GET: the first admin's invitation; POST: send a new one."""

    @extend_schema(responses=InvitationOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_invitation_out(request, pk))

    @extend_schema(request=None, responses=InvitationOut)
    def post(self, request: Request, pk: int) -> Response:
        resend_first_admin_invitation(
            account=request.user, customer_id=pk, actor=Actor.from_request(request)
        )
        return Response(_invitation_out(request, pk))


def _invitation_out(request: Request, pk: int) -> dict:
    info = first_admin_invitation(account=request.user, customer_id=pk)
    return InvitationOut(
        {
            "email": info.email,
            "state": info.state,
            "error": info.error,
            "expires_at": info.expires_at,
        }
    ).data


class LaunchApi(APIView):
    """The hand-off URL that opens the customer view (single use, short-lived)."""

    @extend_schema(
        request=None,
        responses={200: inline_serializer("LaunchOutput", {"url": serializers.URLField()})},
    )
    def post(self, request: Request, pk: int) -> Response:
        url = launch.issue_launch_ticket(account=request.user, customer_id=pk)
        return Response({"url": url})
