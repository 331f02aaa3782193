"""Forms for action items: the committee's full form, the owner's, the one-click status."""

from django import forms

from citkit.committee.concerns import concern_kinds
from citkit.committee.forms.fields import DATE, MemberChoiceField
from citkit.committee.models import ActionItem, Decision, Meeting
from citkit.core.forms import InputModelForm
from citkit.core.selectors import program_members


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting.starts_at:%Y-%m-%d}: {obj.text[:80]}"


class ActionItemForm(InputModelForm):
    """Everything about an item, for coordinators and committee members.

    A new item may also concern a record of another app: one chooser per kind
    registered in `committee.concerns`, offering what the user may see.
    """

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "status", "notes", "meeting", "decision"]
        field_classes = {"owner": MemberChoiceField, "decision": DecisionChoiceField}
        widgets = {"due_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program, user=None, with_concerns=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = program_members(program)
        self.fields["owner"].help_text = "Any member of the program."
        self.fields["meeting"].queryset = Meeting.objects.filter(program=program)
        self.fields["decision"].queryset = Decision.objects.filter(
            meeting__program=program
        ).select_related("meeting")
        self.concern_fields = []
        if with_concerns:
            for kind in concern_kinds():
                self.fields[kind.field_name] = forms.ModelChoiceField(
                    queryset=kind.choices(kind.visible(user, program)),
                    required=False,
                    label=kind.label,
                    help_text=kind.help_text,
                )
                self.concern_fields.append(kind.field_name)

    def concerns(self):
        """The record chosen in one of the concern choosers, if any."""
        for name in self.concern_fields:
            if self.cleaned_data.get(name) is not None:
                return self.cleaned_data[name]
        return None

    def item_data(self) -> dict:
        """What the service sets on the item (the concerned record is passed apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.concern_fields}


class OwnerActionItemForm(InputModelForm):
    """What the owner of an item may change: its status and notes."""

    class Meta:
        model = ActionItem
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ActionStatusForm(forms.Form):
    """The one-click status change on "My action items"."""

    status = forms.ChoiceField(choices=ActionItem.Status.choices)
