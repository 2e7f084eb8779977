"""Choosing the question for a booking from the bank (SPEC §6).

The rule: never a question this candidate has had before (in any session, whatever its
state, so a cancelled booking does not hand the same prompt back for the retry), and among
the rest the one covering most of the candidate's weakest areas. Ties are broken by a fixed
hash of (candidate, question): deterministic for one candidate, different from one candidate
to the next, so the bank is spread without counting every session ever booked (a count that
would grow with the product and sit inside the booking's locked transaction).
When the candidate has had every active question, there is none: the
session is booked without one and the interviewer brings their own (the session page says
so), because refusing the booking would punish the most diligent candidates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db import connection

from accounts.models import SkillArea, User
from interviews.models import Question, Session

QUESTIONS = Question._meta.db_table
QUESTION_AREAS = Question.skill_areas.through._meta.db_table
SKILL_AREAS = SkillArea._meta.db_table
SESSIONS = Session._meta.db_table


def pick_question(*, candidate: User, weakest_areas: Sequence[str]) -> int | None:
    """The id of the best unseen active question for these areas (one query), or None.

    Plain SQL: this runs inside every booking's locked transaction, and building the same
    query through the ORM (a join, an annotation and an exclusion) cost more than running it.
    """
    areas = list(weakest_areas)
    # `IN ()` is not valid SQL; a NULL matches nothing and keeps the statement one shape.
    placeholders = ", ".join(["%s"] * len(areas)) or "NULL"
    sql = f"""
        SELECT q.id, (
            SELECT COUNT(*) FROM {QUESTION_AREAS} qa
            JOIN {SKILL_AREAS} a ON a.id = qa.skillarea_id
            WHERE qa.question_id = q.id AND a.slug IN ({placeholders})
        )
        FROM {QUESTIONS} q
        WHERE q.is_active = %s AND NOT EXISTS (
            SELECT 1 FROM {SESSIONS} s WHERE s.candidate_id = %s AND s.question_id = q.id
        )
    """  # noqa: S608 - table names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*areas, True, candidate.pk])
        rows = cursor.fetchall()
    # The bank is a few dozen rows: rank them here rather than in SQL.
    best = min(
        rows,
        key=lambda row: (-row[1], _spread(candidate.pk, row[0])),
        default=None,
    )
    return None if best is None else int(best[0])


def _spread(candidate_id: int, question_id: int) -> bytes:
    # A stable, well-mixed order of the bank per candidate (not Python's salted hash()).
    return hashlib.blake2b(f"{candidate_id}:{question_id}".encode(), digest_size=8).digest()
