"""The rating matching ranks by, in SQL, equals the one every page shows, in Python."""

from __future__ import annotations

import pytest

from accounts.models import InterviewerProfile
from accounts.ratings import bayesian_expression, bayesian_rating, rating_summary
from tests.factories import InterviewerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("count", "stars"), [(0, 0), (1, 1), (1, 5), (3, 14), (20, 100), (7, 9)])
def test_it_computes_the_same_rating_in_the_database_as_in_python(count: int, stars: int) -> None:
    profile = InterviewerProfileFactory(review_count=count, review_stars=stars)

    in_sql = (
        InterviewerProfile.objects.filter(pk=profile.pk)
        .annotate(rating=bayesian_expression())
        .values_list("rating", flat=True)
        .get()
    )

    expected = bayesian_rating(count=count, mean=stars / count if count else None)
    assert in_sql == pytest.approx(expected)
    assert rating_summary(count=count, stars=stars).bayesian == pytest.approx(expected)


def test_it_says_the_rating_with_its_weighting_only_once_reviewed() -> None:
    assert rating_summary(count=0, stars=0).text == "No reviews yet"
    assert rating_summary(count=0, stars=0).weighting_text == ""
    reviewed = rating_summary(count=2, stars=10)
    assert reviewed.text == "4.3★ from 2 reviews"
    assert (
        reviewed.weighting_text == "plain average 5.0★, weighted toward 4.0★ while reviews are few"
    )
