from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from config.errors import DomainError
from interviews import rubrics
from interviews.models import (
    Criterion,
    CriterionScore,
    DateWindow,
    Feedback,
    FollowUp,
    PhaseNote,
    Question,
    Review,
    RubricVersion,
    Session,
    WeeklyWindow,
)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 1
    fields = ["phase", "position", "text"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    inlines = [FollowUpInline]
    list_display = ["title", "slug", "is_active"]
    list_filter = ["is_active", "skill_areas"]
    search_fields = ["title", "slug", "prompt"]
    filter_horizontal = ["skill_areas"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "start",
        "interviewer",
        "candidate",
        "status",
        "late_cancel",
        "no_show_party",
    ]
    list_filter = ["status", "late_cancel", "no_show_party"]
    list_select_related = ["interviewer", "candidate"]
    search_fields = ["interviewer__email", "candidate__email"]
    date_hierarchy = "start"
    raw_id_fields = ["interviewer", "candidate", "question", "rescheduled_from", "cancelled_by"]
    readonly_fields = ["ics_uid", "ics_sequence", "whiteboard_url", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Bookings go through `interviews.booking`, which applies the rules and the locks.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Sessions are history (late cancels, no-show blocks are counted from them).
        return False


@admin.register(WeeklyWindow)
class WeeklyWindowAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "weekday", "start_time", "end_time"]
    list_select_related = ["interviewer"]
    search_fields = ["interviewer__email"]
    raw_id_fields = ["interviewer"]


@admin.register(DateWindow)
class DateWindowAdmin(admin.ModelAdmin):
    list_display = ["interviewer", "kind", "date", "start_time", "end_time"]
    list_filter = ["kind"]
    list_select_related = ["interviewer"]
    search_fields = ["interviewer__email"]
    raw_id_fields = ["interviewer"]


# --- Rubric versions and feedback ------------------------------------------------------------


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = [
        ("phase", "skill_area", "position"),
        "text",
        "level_1",
        "level_2",
        "level_3",
        "level_4",
    ]
    ordering = ["position", "pk"]

    # A published version is frozen: feedback written against it must keep its meaning.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


def _is_draft(rubric: RubricVersion | None) -> bool:
    return rubric is None or not rubric.is_published


@admin.register(RubricVersion)
class RubricVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "published_at", "criterion_count", "notes"]
    readonly_fields = ["published_at", "created_at"]
    inlines = [CriterionInline]
    actions = ["copy_as_draft", "publish"]

    @admin.display(description="criteria")
    def criterion_count(self, rubric: RubricVersion) -> int:
        return rubric.criteria.count()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_published:
            return ["number", "published_at", "created_at", "notes"]
        return list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.action(description="Copy as a new draft version")
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[RubricVersion]) -> None:
        for rubric in queryset.order_by("number"):
            draft = rubrics.copy_rubric_version(rubric=rubric)
            self.message_user(
                request, f"Version {rubric.number} copied as draft version {draft.number}."
            )

    @admin.action(description="Publish")
    def publish(self, request: HttpRequest, queryset: QuerySet[RubricVersion]) -> None:
        for rubric in queryset.order_by("number"):
            try:
                rubrics.publish_rubric_version(rubric=rubric)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Version {rubric.number} is published: new feedback uses it from now on.",
                )


class _ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CriterionScoreInline(_ReadOnlyInline):
    model = CriterionScore
    fields = ["criterion", "score"]


class PhaseNoteInline(_ReadOnlyInline):
    model = PhaseNote
    fields = ["phase", "prodding", "notes"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the interviewer or the candidate through the services; staff only look."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(_ReadOnlyAdmin):
    list_display = ["session", "status", "rubric", "recommendation", "level", "submitted_at"]
    list_filter = ["status", "recommendation", "level"]
    list_select_related = ["session", "rubric"]
    search_fields = ["session__interviewer__email", "session__candidate__email"]
    inlines = [CriterionScoreInline, PhaseNoteInline]


@admin.register(Review)
class ReviewAdmin(_ReadOnlyAdmin):
    list_display = ["session", "rating", "would_practise_again", "created_at"]
    list_filter = ["rating", "would_practise_again"]
    list_select_related = ["session"]
    search_fields = ["session__interviewer__email", "session__candidate__email"]
