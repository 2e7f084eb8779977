from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from accounts.models import (
    MAX_WEEKLY_CAPACITY,
    MAX_YEARS_EXPERIENCE,
    CandidateLevel,
    InterviewerLevel,
    InterviewerProfile,
    SkillArea,
    User,
)
from accounts.profiles import (
    CandidateData,
    InterviewerData,
    ProfileData,
    interviewer_rule_errors,
    save_profile,
    validate_meeting_url,
    waking_hours_errors,
)
from accounts.timezones import common_time_zone_names, validate_time_zone


class SiteFormRenderer(TemplatesSetting):
    """Renders every form with templates/forms/, found through the TEMPLATES setting."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class TimeZoneInput(forms.TextInput):
    """A text box suggesting IANA names as you type (a datalist), accepting any valid one."""

    template_name = "forms/widgets/time_zone.html"

    def __init__(self) -> None:
        super().__init__(attrs={"list": "time-zone-names", "autocomplete": "off"})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["time_zone_names"] = common_time_zone_names()
        return context


class Role:
    CANDIDATE = "candidate"
    INTERVIEWER = "interviewer"
    BOTH = "both"
    CHOICES = [
        (CANDIDATE, "Candidate: I want to practise system design interviews"),
        (INTERVIEWER, "Interviewer: I want to interview candidates"),
        (BOTH, "Both"),
    ]

    @staticmethod
    def of(user: User) -> str | None:
        if user.is_candidate and user.is_interviewer:
            return Role.BOTH
        if user.is_interviewer:
            return Role.INTERVIEWER
        if user.is_candidate:
            return Role.CANDIDATE
        return None


REVIEW_AGAIN = (
    "Changing your level or expertise sends your profile back to review: candidates cannot "
    "book you until staff approve it again. Sessions already booked stay."
)

CANDIDATE_FIELDS = ["target_level", "focus_areas", "goal"]
INTERVIEWER_FIELDS = ["level", "expertise", "bio", "weekly_capacity", "meeting_url"]


class ProfileFieldsForm(forms.Form):
    """The fields of SPEC §1 with the rules that tie them to the chosen role."""

    role = forms.ChoiceField(
        label="I am joining as",
        choices=Role.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you join as a candidate, an interviewer or both."
        },
    )
    display_name = forms.CharField(label="Display name", max_length=80)
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        validators=[validate_time_zone],
        help_text="An IANA name such as Europe/London; we filled in your browser's.",
        widget=TimeZoneInput(),
    )
    years_experience = forms.IntegerField(
        label="Years of experience",
        min_value=0,
        max_value=MAX_YEARS_EXPERIENCE,
    )

    target_level = forms.ChoiceField(
        label="Target level",
        choices=[("", "Choose a level"), *CandidateLevel.choices],
        required=False,
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label="Focus areas",
        queryset=SkillArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The skill areas you want to work on.",
    )
    goal = forms.CharField(
        label="Goal",
        max_length=140,
        required=False,
        help_text="One line, for example “Staff at a fintech in March”.",
    )

    level = forms.ChoiceField(
        label="Your level",
        choices=[("", "Choose a level"), *InterviewerLevel.choices],
        required=False,
    )
    expertise = forms.ModelMultipleChoiceField(
        label="Expertise",
        queryset=SkillArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bio = forms.CharField(
        label="Bio",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you have built and run; candidates read this before booking.",
    )
    weekly_capacity = forms.IntegerField(
        label="Sessions per week",
        min_value=1,
        max_value=MAX_WEEKLY_CAPACITY,
        initial=3,
        required=False,
    )
    meeting_url = forms.URLField(
        label="Personal meeting URL",
        required=False,
        assume_scheme="https",
        validators=[validate_meeting_url],
        help_text=(
            "Optional: a Zoom, Google Meet, Teams, Jitsi or Whereby link. Without one, each "
            "session gets its own generated room."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role in (Role.CANDIDATE, Role.BOTH):
            self._require(cleaned, "target_level", "Choose the level you are aiming for.")
            self._require(cleaned, "focus_areas", "Pick at least one area to work on.")
        if role in (Role.INTERVIEWER, Role.BOTH):
            self._require(cleaned, "level", "Choose your level.")
            self._require(cleaned, "expertise", "Pick at least one area you know well.")
            self._require(cleaned, "bio", "Tell candidates about your experience.")
            self._require(cleaned, "weekly_capacity", "Say how many sessions a week you can take.")
            rule_errors = interviewer_rule_errors(years_experience=cleaned.get("years_experience"))
            for name, message in rule_errors.items():
                self.add_error(name, message)
        return cleaned

    def _require(self, cleaned: dict[str, Any], name: str, message: str) -> None:
        if name not in self.errors and not cleaned.get(name):
            self.add_error(name, message)

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        role = data["role"]
        candidate = None
        interviewer = None
        if role in (Role.CANDIDATE, Role.BOTH):
            candidate = CandidateData(
                target_level=data["target_level"],
                focus_areas=list(data["focus_areas"]),
                goal=data["goal"],
            )
        if role in (Role.INTERVIEWER, Role.BOTH):
            interviewer = InterviewerData(
                level=data["level"],
                expertise=list(data["expertise"]),
                bio=data["bio"],
                weekly_capacity=data["weekly_capacity"],
                meeting_url=data["meeting_url"],
            )
        return ProfileData(
            display_name=data["display_name"],
            time_zone=data["time_zone"],
            years_experience=data["years_experience"],
            candidate=candidate,
            interviewer=interviewer,
        )


class SignupForm(ProfileFieldsForm):
    """allauth builds its sign-up form on this class (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request: HttpRequest, user: User) -> None:
        save_profile(user=user, data=self.profile_data())


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 60})


class ProfileForm(ProfileFieldsForm):
    """The profile page: edit every field, and add the other role; roles are never dropped."""

    # Only here, not at sign-up: the defaults suit most people, and sign-up stays short.
    waking_hours_start = forms.TimeField(
        label="Waking hours start",
        widget=_time_input(),
        input_formats=["%H:%M"],
        required=False,  # left empty: unchanged
        help_text="Slots from this time, in your time zone, are offered first.",
    )
    waking_hours_end = forms.TimeField(
        label="Waking hours end",
        widget=_time_input(),
        input_formats=["%H:%M"],
        required=False,
        help_text="Slots ending by this time come first; 23:59 means midnight.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault("initial", _initial_for(user))
        super().__init__(*args, **kwargs)
        current = Role.of(user)
        allowed = {
            None: [Role.CANDIDATE, Role.INTERVIEWER, Role.BOTH],
            Role.CANDIDATE: [Role.CANDIDATE, Role.BOTH],
            Role.INTERVIEWER: [Role.INTERVIEWER, Role.BOTH],
            Role.BOTH: [Role.BOTH],
        }[current]
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [c for c in Role.CHOICES if c[0] in allowed]
        role_field.label = "Roles"
        if user.is_interviewer and user.interviewer_profile.is_approved:
            # Said before saving, once, under the first of the two fields concerned (SPEC §1).
            self.fields["level"].help_text = REVIEW_AGAIN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("waking_hours_start", "waking_hours_end"):
            if name not in self.errors and cleaned.get(name) is None:
                cleaned[name] = getattr(self.user, name)
        errors = waking_hours_errors(
            starts=cleaned.get("waking_hours_start"), ends=cleaned.get("waking_hours_end")
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned

    def save(self) -> User:
        data = self.cleaned_data
        waking_hours = (data["waking_hours_start"], data["waking_hours_end"])
        return save_profile(
            user=self.user, data=replace(self.profile_data(), waking_hours=waking_hours)
        )


def _initial_for(user: User) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "role": Role.of(user),
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "years_experience": user.years_experience,
        "waking_hours_start": user.waking_hours_start,
        "waking_hours_end": user.waking_hours_end,
    }
    if user.is_candidate:
        candidate = user.candidate_profile
        initial |= {
            "target_level": candidate.target_level,
            "focus_areas": [area.slug for area in candidate.focus_areas.all()],
            "goal": candidate.goal,
        }
    if user.is_interviewer:
        interviewer: InterviewerProfile = user.interviewer_profile
        initial |= {
            "level": interviewer.level,
            "expertise": [area.slug for area in interviewer.expertise.all()],
            "bio": interviewer.bio,
            "weekly_capacity": interviewer.weekly_capacity,
            "meeting_url": interviewer.meeting_url,
        }
    return initial


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the interviewer sees this)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
