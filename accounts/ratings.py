"""An interviewer's rating: the Bayesian average of their reviews, beside the totals it reads.

Every interviewer starts as if they had PRIOR_WEIGHT reviews of PRIOR_MEAN stars, so one
5-star review moves them a little and twenty move them a lot. The totals are columns of
`InterviewerProfile` (`review_count`, `review_stars`), kept by the review service in the
review's own transaction, so that matching can rank by the rating in SQL:
`bayesian_expression` is that SQL form, and a test holds it to `bayesian_rating`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Expression, FloatField, Value
from django.db.models.functions import Cast

from accounts.models import InterviewerProfile

PRIOR_MEAN = 4.0
PRIOR_WEIGHT = 5
MAX_STARS = 5.0


def bayesian_rating(*, count: int, mean: float | None) -> float:
    total = (mean or 0.0) * count
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)


def bayesian_expression(prefix: str = "") -> Expression:
    """`bayesian_rating` in SQL, from the profile's totals (`prefix` reaches the profile).

    (prior stars + stars) / (prior weight + count), in double precision throughout: a
    bare float would be sent as a NUMERIC literal, several times slower over every row.
    """
    stars = Cast(f"{prefix}review_stars", FloatField())
    count = Cast(f"{prefix}review_count", FloatField())
    prior_stars = Cast(Value(PRIOR_WEIGHT * PRIOR_MEAN), FloatField())
    prior_weight = Cast(Value(float(PRIOR_WEIGHT)), FloatField())
    return (prior_stars + stars) / (prior_weight + count)


def average_sentence(*, count: int, mean: float | None) -> str:
    """The plain average as a match explanation quotes it: "4.5★ from 3 reviews"."""
    if count == 0 or mean is None:
        return "no reviews yet"
    return f"{mean:.1f}★ from {count} review{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class RatingSummary:
    count: int
    mean: float | None  # the plain average, None without reviews
    bayesian: float  # what matching and profiles use

    @property
    def text(self) -> str:
        """The Bayesian rating, the number matching ranks by; the count says how much it means."""
        if not self.count:
            return "No reviews yet"
        plural = "" if self.count == 1 else "s"
        return f"{self.bayesian:.1f}★ from {self.count} review{plural}"

    @property
    def weighting_text(self) -> str:
        """Why the rating differs from the plain average the match explanation quotes."""
        if self.mean is None:
            return ""
        return (
            f"plain average {self.mean:.1f}★, weighted toward {PRIOR_MEAN:.1f}★ "
            "while reviews are few"
        )


def rating_summary(*, count: int, stars: int) -> RatingSummary:
    """From an interviewer's running totals (`InterviewerProfile.review_count`, `review_stars`)."""
    mean = stars / count if count else None
    return RatingSummary(count=count, mean=mean, bayesian=bayesian_rating(count=count, mean=mean))


def interviewer_ratings(*, interviewer_ids: Iterable[int]) -> dict[int, RatingSummary]:
    """Every given interviewer's rating, in one query: no reviews (or no profile) is the prior."""
    ids = list(interviewer_ids)
    rows = InterviewerProfile.objects.filter(user_id__in=ids).values_list(
        "user_id", "review_count", "review_stars"
    )
    found = {user_id: rating_summary(count=count, stars=stars) for user_id, count, stars in rows}
    unrated = rating_summary(count=0, stars=0)
    return {interviewer_id: found.get(interviewer_id, unrated) for interviewer_id in ids}
