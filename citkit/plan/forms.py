"""Forms for the implementation plan: a task (with what it waits on) and attachments."""

from django import forms

from citkit.committee.forms_actions import MemberChoiceField, program_users
from citkit.committee.models import Subcommittee
from citkit.core import measures
from citkit.plan.models import Phase, Task
from citkit.plan.services import MAX_ATTACHMENT_BYTES


class DependencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.phase.name}: {obj.title}"
        return f"{label} (retired)" if obj.retired else label


class TaskForm(forms.ModelForm):
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
        self.fields["owner"].queryset = program_users(program)
        self.fields["subcommittee"].queryset = Subcommittee.objects.filter(program=program)
        others = Task.objects.filter(program=program).select_related("phase")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others.order_by("phase__order", "order", "id")

    def _post_clean(self):
        # The form parses input; the services validate the task (the same rules for
        # pages and API) and their errors are put back on this form.
        pass


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach a file", help_text="Up to 10 MB: a draft MOU, minutes, a policy…"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError("Attachments may be at most 10 MB.")
        return upload
