"""The interviewer's public profile page: what a candidate reads before booking them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import signed_in_user
from interviews.interviewers import (
    SHARED_COMMENTS,
    get_public_interviewer,
    interviewer_summary,
    shared_comments,
)


@login_required
def interviewer_profile(request: HttpRequest, interviewer_id: int) -> HttpResponse:
    user = signed_in_user(request)
    interviewer = get_public_interviewer(interviewer_id=interviewer_id)
    ctx = {
        "summary": interviewer_summary(interviewer),
        "comments": shared_comments(interviewer=interviewer),
        "most_comments": SHARED_COMMENTS,
        "is_self": interviewer.pk == user.pk,
        "can_book": user.is_candidate and interviewer.pk != user.pk,
    }
    return render(request, "interviews/interviewer.html", ctx)
