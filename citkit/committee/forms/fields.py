"""Form fields and widgets the committee's forms share."""

from django import forms
from django.contrib.auth import get_user_model

from citkit.core.selectors import user_choice_label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the program, shown as "Name (user name)"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return user_choice_label(obj)
