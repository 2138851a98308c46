"""Partner API: a customer's subscriptions and enabled packages (SPEC §5), the same
services as the partner-side page and the same shapes as the org API
(``licensing/api/serializers.py``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.subscriptions import services
from licensing import catalogue
from licensing.api.serializers import (
    SubscriptionAddIn,
    SubscriptionOut,
    SubscriptionStatusIn,
    SubscriptionUpdateIn,
)


class PackagesIo(serializers.Serializer):
    packages = serializers.ListField(
        child=serializers.ChoiceField(choices=list(catalogue.PACKAGES)), allow_empty=True
    )


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class CustomerSubscriptionsApi(APIView):
    """GET: the customer's subscriptions. POST: add one (full/provisioning admins)."""

    @extend_schema(operation_id="partner_subscriptions_list", responses=SubscriptionOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        customer = services.customer_for_reading(request.user, pk)
        return Response(
            SubscriptionOut(services.subscriptions_of(customer=customer), many=True).data
        )

    @extend_schema(request=SubscriptionAddIn, responses={201: SubscriptionOut})
    def post(self, request: Request, pk: int) -> Response:
        customer = services.customer_for_selling(request.user, pk)
        data = _valid(SubscriptionAddIn, request)
        added = services.add_subscription(
            customer=customer,
            external_id=data["external_id"].strip(),
            quantities=data["quantities"],
            end_date=data["end_date"],
            actor=services.partner_actor(request.user, customer),
        )
        return Response(SubscriptionOut(added).data, status=status.HTTP_201_CREATED)


class CustomerSubscriptionApi(APIView):
    """GET one subscription; PATCH ``quantities`` and/or ``end_date`` (null clears)."""

    @extend_schema(responses=SubscriptionOut)
    def get(self, request: Request, pk: int, subscription_id: int) -> Response:
        customer = services.customer_for_reading(request.user, pk)
        found = services.subscription_of(customer=customer, subscription_id=subscription_id)
        return Response(SubscriptionOut(found).data)

    @extend_schema(request=SubscriptionUpdateIn, responses=SubscriptionOut)
    def patch(self, request: Request, pk: int, subscription_id: int) -> Response:
        customer = services.customer_for_selling(request.user, pk)
        data = _valid(SubscriptionUpdateIn, request)
        changes = {"quantities": data.get("quantities")}
        if "end_date" in data:
            changes["end_date"] = data["end_date"]
        changed = services.change_subscription(
            customer=customer,
            subscription_id=subscription_id,
            actor=services.partner_actor(request.user, customer),
            **changes,
        )
        return Response(SubscriptionOut(changed).data)


class CustomerSubscriptionStatusApi(APIView):
    """POST ``{"action": "suspend"|"reactivate"|"cancel", "confirmation": "Sub-…"}``."""

    @extend_schema(request=SubscriptionStatusIn, responses=SubscriptionOut)
    def post(self, request: Request, pk: int, subscription_id: int) -> Response:
        customer = services.customer_for_selling(request.user, pk)
        data = _valid(SubscriptionStatusIn, request)
        changed = services.change_subscription_status(
            customer=customer,
            subscription_id=subscription_id,
            action=data["action"],
            confirmation=data["confirmation"].strip(),
            actor=services.partner_actor(request.user, customer),
        )
        return Response(SubscriptionOut(changed).data)


class CustomerPackagesApi(APIView):
    """GET / PUT the wholesale packages the customer may use."""

    @extend_schema(responses=PackagesIo)
    def get(self, request: Request, pk: int) -> Response:
        customer = services.customer_for_reading(request.user, pk)
        return Response({"packages": customer.packages})

    @extend_schema(request=PackagesIo, responses=PackagesIo)
    def put(self, request: Request, pk: int) -> Response:
        customer = services.customer_for_selling(request.user, pk)
        data = _valid(PackagesIo, request)
        customer = services.set_enabled_packages(
            customer=customer,
            packages=data["packages"],
            actor=services.partner_actor(request.user, customer),
        )
        return Response({"packages": customer.packages})
