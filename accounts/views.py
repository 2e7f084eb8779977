from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import ratings, vetting
from accounts.access import signed_in_user, staff_required
from accounts.forms import ProfileForm, RejectForm
from accounts.models import InterviewerProfile, User
from accounts.profiles import is_approved_interviewer


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        was_approved = is_approved_interviewer(user)
        try:
            form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message(was_approved, user))
            return redirect("profile")
    interviewer = getattr(user, "interviewer_profile", None)
    ctx = {
        "form": form,
        "interviewer": interviewer,
        "rating": _rating(interviewer) if interviewer is not None else None,
    }
    return render(request, "accounts/profile.html", ctx, status=400 if form.errors else 200)


def _saved_message(was_approved: bool, user: User) -> str:
    if was_approved and not is_approved_interviewer(user):
        return (
            "Your profile is saved. You changed your level or expertise, so it is back in "
            "review: candidates cannot book you until staff approve it again. Sessions "
            "already booked stay."
        )
    return "Your profile is saved."


def _rating(profile: InterviewerProfile) -> dict[str, object]:
    # From the profile already loaded: the same summary `interviewer_ratings` gives.
    rating = ratings.rating_summary(count=profile.review_count, stars=profile.review_stars)
    return {
        "stars": rating.bayesian,
        "text": ratings.average_sentence(count=rating.count, mean=rating.mean),
        "prior_weight": ratings.PRIOR_WEIGHT,
        "prior_mean": ratings.PRIOR_MEAN,
    }


@staff_required
def vetting_queue(request: HttpRequest) -> HttpResponse:
    profiles = list(vetting.pending_interviewers())
    ctx = {
        "profiles": profiles,
        "applicants": [
            {"profile": profile, "links": vetting.links_in(profile.bio)} for profile in profiles
        ],
    }
    return render(request, "accounts/vetting_queue.html", ctx)


# The hidden field of the confirm page's button: the queue's buttons only lead to it.
CONFIRMED = "yes"


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == CONFIRMED


@staff_required
@require_POST
def approve(request: HttpRequest, profile_id: int) -> HttpResponse:
    """The queue's button shows a confirm page; only its POST (with `confirmed`) approves."""
    staff = signed_in_user(request)
    applicant = get_object_or_404(InterviewerProfile.objects.select_related("user"), pk=profile_id)
    if not _confirmed(request):
        return _confirm_decision(request, profile=applicant, decision="approve")
    try:
        profile = vetting.approve_interviewer(profile_id=profile_id, decided_by=staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{profile.user} is approved.")
    return redirect("vetting_queue")


@staff_required
@require_POST
def reject(request: HttpRequest, profile_id: int) -> HttpResponse:
    """As `approve`; the confirm page shows the reason, still editable, before it is sent."""
    staff = signed_in_user(request)
    applicant = get_object_or_404(InterviewerProfile.objects.select_related("user"), pk=profile_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason: the interviewer sees it.")
        return redirect("vetting_queue")
    if not _confirmed(request):
        return _confirm_decision(request, profile=applicant, decision="reject", form=form)
    try:
        profile = vetting.reject_interviewer(
            profile_id=profile_id, decided_by=staff, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{profile.user} is rejected; they will see your reason.")
    return redirect("vetting_queue")


def _confirm_decision(
    request: HttpRequest,
    *,
    profile: InterviewerProfile,
    decision: str,
    form: RejectForm | None = None,
) -> HttpResponse:
    ctx = {"profile": profile, "decision": decision, "form": form, "confirmed": CONFIRMED}
    return render(request, "accounts/vetting_confirm.html", ctx)
