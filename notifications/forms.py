from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User
from notifications import preferences


class PreferencesForm(forms.Form):
    """Ticked: send me this kind. Only the optional kinds the person can receive."""

    wanted = forms.MultipleChoiceField(
        label="Send me these emails",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.shown = preferences.kinds_for(user)
        opted_out = preferences.opted_out(user)
        field = self.fields["wanted"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(kind, preferences.DESCRIPTIONS[kind][0]) for kind in self.shown]
        field.initial = [kind for kind in self.shown if kind not in opted_out]

    def save(self) -> set[str]:
        wanted = set(self.cleaned_data["wanted"])
        # Opt-outs of kinds not shown (a role the person no longer has) are kept.
        hidden = preferences.opted_out(self.user) - set(self.shown)
        return preferences.set_opted_out(
            user=self.user, kinds=hidden | {kind for kind in self.shown if kind not in wanted}
        )
