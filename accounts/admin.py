from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from accounts import vetting
from accounts.access import signed_in_user
from accounts.models import CandidateProfile, InterviewerProfile, SkillArea, User, VettingStatus


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "time_zone", "is_staff", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "time_zone", "years_experience")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "position"]
    # Slugs are part of the API: they are shown, never edited.
    readonly_fields = ["slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "target_level", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name"]
    filter_horizontal = ["focus_areas"]


@admin.register(InterviewerProfile)
class InterviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "status", "weekly_capacity", "created_at", "decided_at"]
    list_filter = ["status", "level"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name"]
    filter_horizontal = ["expertise"]
    readonly_fields = ["decided_at", "decided_by", "created_at"]
    actions = ["approve_selected"]

    @admin.action(description="Approve the selected interviewers")
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[InterviewerProfile]
    ) -> None:
        staff = signed_in_user(request)
        for profile in queryset:
            vetting.approve_interviewer(profile_id=profile.pk, decided_by=staff)
        self.message_user(request, f"Approved {queryset.count()} interviewers.", messages.SUCCESS)

    def save_model(
        self, request: HttpRequest, obj: InterviewerProfile, form: ModelForm[Any], change: bool
    ) -> None:
        # A decision made in the admin goes through the vetting service like one made in the
        # queue, so it is recorded with who and when, and the interviewer is told.
        status_changed = change and "status" in form.changed_data
        new_status = obj.status
        if status_changed:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if not status_changed:
            return
        staff = signed_in_user(request)
        if new_status == VettingStatus.APPROVED:
            vetting.approve_interviewer(profile_id=obj.pk, decided_by=staff)
        elif new_status == VettingStatus.REJECTED:
            vetting.reject_interviewer(
                profile_id=obj.pk, decided_by=staff, reason=obj.decision_reason
            )
