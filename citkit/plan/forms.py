"""Forms of the implementation plan: a task (with what it waits on), its status alone,
a move within its phase, and attachments. They parse; plan.services decides."""

from django import forms

from citkit.committee.models import Subcommittee
from citkit.core import measures
from citkit.core.forms import InputModelForm
from citkit.core.selectors import program_members, user_choice_label
from citkit.plan.models import Phase, Task
from citkit.plan.services import MAX_ATTACHMENT_BYTES


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the program, named so that two people with one name differ."""

    def label_from_instance(self, obj):
        return user_choice_label(obj)


class DependencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.phase.name}: {obj.title}"
        return f"{label} (retired)" if obj.retired else label


class TaskForm(InputModelForm):
    # A callable, so measures registered by apps loaded later are offered too.
    measure = forms.ChoiceField(
        choices=measures.choices,
        required=False,
        label="Measured by",
        help_text="Progress computed from the records, shown next to the typed status.",
    )
    depends_on = DependencyChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label="Waits on",
        help_text="Tasks that must be done before this one can be marked done.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Task
        fields = [
            "phase",
            "title",
            "description",
            "owner",
            "subcommittee",
            "start_date",
            "due_date",
            "status",
            "measure",
            "depends_on",
            "notes",
        ]
        field_classes = {"owner": MemberChoiceField}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(program=program)
        self.fields["phase"].empty_label = None
        self.fields["owner"].queryset = program_members(program)
        self.fields["subcommittee"].queryset = Subcommittee.objects.filter(program=program)
        others = Task.objects.filter(program=program).select_related("phase")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others.order_by("phase__order", "order", "id")


class TaskStatusForm(InputModelForm):
    """The status alone: the plan page's in-place change."""

    class Meta:
        model = Task
        fields = ["status"]


class TaskMoveForm(forms.Form):
    # Checked by the service, which names the two directions it knows.
    direction = forms.CharField(required=False)


class PlanSeedForm(forms.Form):
    """Starting the plan from the roadmap asks for nothing."""


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach a file", help_text="Up to 10 MB: a draft MOU, minutes, a policy…"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError("Attachments may be at most 10 MB.")
        return upload
