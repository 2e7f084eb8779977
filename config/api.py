"""What every API endpoint shares: the one error shape of SPEC §10 and pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError

MESSAGES = {
    "invalid": "Some fields are invalid.",
    "not_found": "Not found.",
}


class _PageSizeQuery(serializers.Serializer):
    page_size = serializers.IntegerField(min_value=1, required=False)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int | None:
        # DRF quietly falls back to the default on a page size that is not a number; the
        # schema says integer, so a client that sends anything else is told, by field.
        query = _PageSizeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data.get("page_size")
        return self.page_size if asked is None else min(asked, self.max_page_size)


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    """DRF's nested ErrorDetail structures as plain strings, keeping their nesting."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _validation_response(detail: Any) -> Response:
    if isinstance(detail, dict):
        fields = _flatten(detail)
        non_field = fields.pop("non_field_errors", None)
        message = non_field[0] if non_field else MESSAGES["invalid"]
        if non_field:
            fields["non_field_errors"] = non_field
        return Response(error_body("invalid", message, fields), status=400)
    messages = _flatten(detail if isinstance(detail, list) else [detail])
    return Response(error_body("invalid", " ".join(messages)), status=400)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if not hasattr(exc, "error_dict"):
            return _validation_response(exc.messages)
        detail = exc.message_dict
        # Django files errors that belong to no field (a model's clean(), a constraint) under
        # "__all__"; the API names them as DRF does, and shows the first as the message.
        if NON_FIELD_ERRORS in detail:
            detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
        return _validation_response(detail)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc.detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 handler answers in the same shape
    message = str(exc.detail) if not isinstance(exc.detail, list | dict) else exc.default_detail
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    response.data = error_body(str(code), str(message))
    if "Retry-After" in response:
        response.data["error"]["retry_after"] = int(response["Retry-After"])
    return response
