from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications.dispatch import retry_now
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_at", "state", "attempts", "sent_at", "note"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient__email", "key"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "session"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Rows come from the changes that cause them (`notifications.outbox`).
        return False

    @admin.action(description="Retry now (failed rows)")
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = retry_now(ids=list(queryset.values_list("pk", flat=True)))
        messages.success(request, f"{count} failed notification(s) queued again.")
