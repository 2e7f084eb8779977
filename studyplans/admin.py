from __future__ import annotations

from django.contrib import admin

from studyplans.models import PlanItem, Resource, StudyPlan


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author", "hours", "is_active"]
    list_filter = ["kind", "is_active", "skill_areas"]
    search_fields = ["title", "author", "description"]
    filter_horizontal = ["skill_areas"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["week_start", "kind", "resource", "skill_area", "status", "reason"]
    readonly_fields = ["week_start", "kind", "resource", "skill_area", "status", "reason"]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        # Plans are made by `studyplans.planning`; staff read them here.
        return False


@admin.register(StudyPlan)
class StudyPlanAdmin(admin.ModelAdmin):
    list_display = ["candidate", "starts_on", "updated_at"]
    search_fields = ["candidate__email"]
    raw_id_fields = ["candidate"]
    readonly_fields = ["candidate", "weakness", "starts_on", "created_at", "updated_at"]
    inlines = [PlanItemInline]

    def has_add_permission(self, request: object) -> bool:
        return False
