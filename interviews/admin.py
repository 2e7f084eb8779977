from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from interviews.models import DateWindow, Question, Session, WeeklyWindow


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
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
    readonly_fields = ["ics_uid", "ics_sequence", "created_at", "updated_at"]

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
