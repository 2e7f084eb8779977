from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from accounts import vetting
from accounts.access import signed_in_user
from accounts.models import (
    CandidateProfile,
    InterviewerProfile,
    SkillArea,
    User,
    VettingDecision,
    VettingStatus,
)


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


class VettingDecisionInline(admin.TabularInline):
    """The profile's decision history: written by the vetting service only, never edited."""

    model = VettingDecision
    fields = ["decided_at", "status", "decided_by", "reason"]
    readonly_fields = ["decided_at", "status", "decided_by", "reason"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Decision history"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InterviewerProfile)
class InterviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "status", "weekly_capacity", "created_at", "decided_at"]
    list_filter = ["status", "level"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name"]
    filter_horizontal = ["expertise"]
    readonly_fields = ["decided_at", "decided_by", "created_at"]
    actions = ["approve_selected"]
    inlines = [VettingDecisionInline]

    @admin.action(description="Approve the selected interviewers")
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[InterviewerProfile]
    ) -> None:
        staff = signed_in_user(request)
        approved = 0
        for profile in queryset:
            try:
                vetting.approve_interviewer(profile_id=profile.pk, decided_by=staff)
            except ValidationError as error:
                # One refusal (a staff member's own profile) must not undo or hide the rest.
                self.message_user(
                    request, f"{profile.user}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                approved += 1
        self.message_user(
            request,
            f"Approved {approved} interviewer{'' if approved == 1 else 's'}.",
            messages.SUCCESS,
        )

    def get_readonly_fields(
        self, request: HttpRequest, obj: InterviewerProfile | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # Nobody decides on their own application, here as in the vetting queue.
        if obj is not None and obj.user_id == request.user.pk:
            fields += ["status", "decision_reason"]
        return fields

    def save_model(
        self, request: HttpRequest, obj: InterviewerProfile, form: ModelForm[Any], change: bool
    ) -> None:
        # A decision made in the admin goes through the vetting service like one made in the
        # queue, so it is recorded with who and when, and the interviewer is told.
        status_changed = change and "status" in form.changed_data
        new_status = obj.status
        new_reason = obj.decision_reason
        if status_changed:
            # The row keeps its old decision until the service writes the new one; the old
            # reason stays with it, or a rejected row saved without one breaks its constraint.
            obj.status = form.initial["status"]
            obj.decision_reason = form.initial["decision_reason"]
        super().save_model(request, obj, form, change)
        if not status_changed:
            return
        staff = signed_in_user(request)
        if new_status == VettingStatus.APPROVED:
            vetting.approve_interviewer(profile_id=obj.pk, decided_by=staff)
        elif new_status == VettingStatus.REJECTED:
            vetting.reject_interviewer(profile_id=obj.pk, decided_by=staff, reason=new_reason)
