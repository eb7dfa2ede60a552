"""allauth's forms as the public site words them (ACCOUNT_FORMS): labels
without a trailing colon, "e-mail" spelt as on the rest of the site, and no
placeholder repeating the label (a placeholder disappears as you type)."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms

LABELS = {
    "login": "Username or e-mail",
    "email": "E-mail address",
    "password1": "Password",
    "password2": "Password again",
    "oldpassword": "Current password",
}


class _Worded:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field.widget.attrs.pop("placeholder", None)
            if name in LABELS:
                field.label = LABELS[name]


class LoginForm(_Worded, allauth_forms.LoginForm):
    pass


class SignupForm(_Worded, allauth_forms.SignupForm):
    pass


class AddEmailForm(_Worded, allauth_forms.AddEmailForm):
    pass


class ResetPasswordForm(_Worded, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(_Worded, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(_Worded, allauth_forms.ChangePasswordForm):
    pass
