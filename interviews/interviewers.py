"""What a candidate reads about an interviewer before booking: the profile and its summary.

The summary (level, years, expertise, rating, the bio's first line) sits on every match of
`/find/` and on the confirmation page; the profile page adds the whole bio and the latest
review comments their authors agreed to share (`Review.share_comment`), never with a name.
Only approved interviewers have a public profile: anyone else is a 404, as if unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404
from django.utils.text import Truncator

from accounts.models import SkillArea, User, VettingStatus
from accounts.ratings import RatingSummary, rating_summary
from interviews.models import Review

SHARED_COMMENTS = 5
FIRST_LINE_CHARS = 160


@dataclass(frozen=True)
class SharedComment:
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class InterviewerSummary:
    interviewer: User
    level: str  # the slug, as the API gives it
    level_label: str
    years_experience: int
    expertise: list[SkillArea]
    bio: str
    rating: RatingSummary

    @property
    def bio_first_line(self) -> str:
        lines = [line.strip() for line in self.bio.strip().splitlines() if line.strip()]
        return Truncator(lines[0]).chars(FIRST_LINE_CHARS) if lines else ""


def interviewer_summary(interviewer: User) -> InterviewerSummary:
    """From a user loaded with `interviewer_profile` (and its expertise, to save a query)."""
    profile = interviewer.interviewer_profile
    return InterviewerSummary(
        interviewer=interviewer,
        level=profile.level,
        level_label=profile.get_level_display(),
        years_experience=interviewer.years_experience,
        expertise=list(profile.expertise.all()),
        bio=profile.bio,
        rating=rating_summary(count=profile.review_count, stars=profile.review_stars),
    )


def get_public_interviewer(*, interviewer_id: int) -> User:
    """An approved interviewer with their profile and expertise; anyone else is a 404."""
    found = (
        User.objects.filter(
            pk=interviewer_id,
            is_active=True,
            interviewer_profile__status=VettingStatus.APPROVED,
        )
        .select_related("interviewer_profile")
        .prefetch_related("interviewer_profile__expertise")
        .first()
    )
    if found is None:
        raise Http404
    return found


def shared_comments(*, interviewer: User) -> list[SharedComment]:
    """The latest comments candidates chose to share about this interviewer, newest first."""
    rows = (
        Review.objects.filter(session__interviewer=interviewer, share_comment=True)
        .exclude(comment="")
        .order_by("-created_at", "-pk")
        .values_list("comment", "created_at")[:SHARED_COMMENTS]
    )
    return [SharedComment(comment=comment, created_at=created_at) for comment, created_at in rows]
