from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import expertise
        from accounts.models import InterviewerProfile, SkillArea

        # Keep the expertise column matching ranks with in step with the many-to-many.
        m2m_changed.connect(
            expertise.on_expertise_changed,
            sender=InterviewerProfile.expertise.through,
            dispatch_uid="accounts.expertise.changed",
        )
        post_save.connect(
            expertise.on_skill_area_saved,
            sender=SkillArea,
            dispatch_uid="accounts.expertise.area_saved",
        )
