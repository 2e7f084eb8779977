"""allauth's login form in our words. A module of its own: allauth's forms import our
sign-up form (ACCOUNT_SIGNUP_FORM_CLASS) from accounts.forms, which therefore cannot
import theirs."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me"
