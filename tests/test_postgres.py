"""Production's database: PostgreSQL through psycopg 3, with a pool of warm connections."""

from __future__ import annotations

import psycopg
import psycopg_pool
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_it_talks_to_postgresql_through_a_psycopg3_pool() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)

    assert connection.vendor == "postgresql"
    assert connection.settings_dict["OPTIONS"]["pool"]
    assert isinstance(connection.pool, psycopg_pool.ConnectionPool)
    assert isinstance(connection.connection, psycopg.Connection)
    # The pool, not Django, decides how long a connection lives.
    assert connection.settings_dict["CONN_MAX_AGE"] == 0


def test_it_turns_off_the_jit_for_its_short_queries() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
