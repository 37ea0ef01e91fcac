"""Forms of the returns pages: submit (with a note and, when returns below are missing, the explanation)
and review (accept, or send back with a comment)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import COMMENT_MAX


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reviewer (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    missing_explanation = forms.CharField(
        label=_("Why submit without the returns not yet accepted"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment (required when sending back)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
