"""The API's JSON parser: every body it cannot read is a 400 in the one error shape."""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            # Deeply nested arrays or objects exhaust the decoder's stack; DRF only turns
            # a ValueError into a parse error, so this one would otherwise be a 500.
            raise ParseError("JSON parse error - the body nests too deeply.") from error
