"""`field__any_of=[...]`: membership in a long list of ids as one array parameter.

`__in` with a page of 200 ids sends 200 placeholders, and psycopg's client-side binding
splits and quotes every one of them on each query: about 4 ms of Python per query for a
matching page, more than PostgreSQL takes to answer. `= ANY(%s)` sends the list as a
single array, which PostgreSQL matches with the same index scans. Other databases get
the plain `IN`, which this subclasses.

Importing this module registers the lookup on integer and foreign-key fields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignKey, IntegerField
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


IntegerField.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)
