"""The domain error services raise; the API handler and the pages turn it into responses."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the product refused the request (a taken slot, a locked form, ...).

    `code` is stable and part of the API; `status` is the HTTP status the API answers with.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "conflict",
        status: int = 409,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.fields = fields or {}
