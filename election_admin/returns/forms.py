"""Forms of the returns pages: submit (with a note and, when returns below are missing, the explanation)
and review (accept, or send back with a comment)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from election_admin.forms_cycles import DateInput

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


class DueDatesForm(forms.Form):
    """By when each level submits (field names ``due_<level>``, as the service names its errors)."""

    due_4 = forms.DateField(label=_("Townships submit by"), required=False, widget=DateInput())
    due_3 = forms.DateField(label=_("Counties submit by"), required=False, widget=DateInput())
    due_2 = forms.DateField(label=_("Cities submit by"), required=False, widget=DateInput())

    def dates(self) -> dict[int, object]:
        return {level: self.cleaned_data.get(f"due_{level}") for level in (4, 3, 2)}
