"""Roster import pages: upload a CSV/XLSX file, match its columns, import all or nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from citkit.core.policies import policy_for
from citkit.core.views.writes import ServiceFormView
from citkit.people import importing
from citkit.people.forms import RosterMappingForm, RosterUploadForm
from citkit.people.models import Person, PersonKind, PersonStatus, RosterUpload, Shift
from citkit.people.permissions import managed_agency_id


def _labels(choices) -> str:
    return ", ".join(str(label) for _, label in choices)


# What each importable field accepts, shown on the upload page.
FIELD_HELP = {
    "first_name": "Required.",
    "last_name": "Required.",
    "agency": (
        "The partner agency's name, as in the program's agency list "
        "(required for officers and dispatchers)."
    ),
    "kind": f"{_labels(PersonKind.choices)}. Empty means Officer.",
    "badge_number": "Required for officers; unique within an agency.",
    "rank": "",
    "district": "",
    "shift": f"{_labels(Shift.choices)}, or empty.",
    "hire_date": "YYYY-MM-DD, MM/DD/YYYY or an Excel date; not in the future.",
    "status": f"{_labels(PersonStatus.choices)}. Empty means Active.",
    "email": "",
    "phone": "",
}


class _ImportPageMixin:
    """Coordinators and agency administrators only (403 others, 404 outsiders),
    asked of the program before the file or the upload is looked at."""

    model = Person
    action = "import"

    def setup_object(self):
        policy_for(Person).require(self.request.user, self.program, self.action)
        self.object = self.get_object()

    def get_context_data(self, **kwargs):
        own = None
        if managed_agency_id(self.request.user, self.program) is not None:
            own = self.membership.agency
        return super().get_context_data(own_agency=own, **kwargs)


class RosterUploadView(_ImportPageMixin, ServiceFormView):
    """Step 1: upload the file. It is read at once, so a broken file is refused here."""

    form_class = RosterUploadForm
    template_name = "people/import_upload.html"

    def get_object(self):
        return None

    def get_context_data(self, **kwargs):
        fields = [
            (label, FIELD_HELP.get(name, "")) for name, label in importing.IMPORT_FIELDS.items()
        ]
        return super().get_context_data(fields=fields, **kwargs)

    def call_service(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            importing.read_roster(upload.name, content)
        except importing.RosterImportError as exc:
            raise ValidationError({"file": [str(p) for p in exc.problems]}) from exc
        return importing.store_upload(
            program=self.program, user=self.request.user, filename=upload.name, content=content
        )

    def get_success_url(self, obj):
        return self.program_url("roster-import-map", obj.pk)


class RosterMappingView(_ImportPageMixin, ServiceFormView):
    """Step 2: match columns to fields, check every row, import all of them or none.

    Not a plain form page: besides importing it can check without writing (the
    page again, with the count) and cancel (the waiting file is deleted).
    """

    form_class = RosterMappingForm
    template_name = "people/import_map.html"

    def get_object(self) -> RosterUpload:
        # Only the person who uploaded a file may finish its import.
        return get_object_or_404(
            RosterUpload,
            pk=self.kwargs["pk"],
            program=self.program,
            uploaded_by=self.request.user,
        )

    def _render(self, roster, form, *, error=None, checked=0, status=200):
        context = self.get_context_data(
            upload=self.object,
            roster=roster,
            form=form,
            preview=roster.preview(5) if roster else [],
            problems=error.problems if error else [],
            more_problems=error.more if error else 0,
            problem_count=(len(error.problems) + error.more) if error else 0,
            checked=checked,
        )
        return render(self.request, self.template_name, context, status=status)

    def _read(self):
        upload = self.object
        try:
            return importing.read_roster(upload.filename, bytes(upload.content)), None
        except importing.RosterImportError as exc:  # e.g. the size limit was lowered since
            return None, exc

    def get(self, request, *args, **kwargs):
        self.setup_object()
        roster, error = self._read()
        form = None
        if roster:
            guess = importing.guess_mapping(roster.headers)
            form = RosterMappingForm(headers=roster.headers, initial_mapping=guess)
        return self._render(roster, form, error=error)

    def post(self, request, *args, **kwargs):
        self.setup_object()
        upload = self.object
        if "cancel" in request.POST:
            importing.discard_upload(upload)
            messages.info(request, f"Import of {upload.filename} cancelled; nothing was imported.")
            return redirect(self.program_url("person-list"))
        roster, error = self._read()
        if roster is None:
            return self._render(None, None, error=error, status=400)
        form = RosterMappingForm(request.POST, headers=roster.headers, initial_mapping={})
        if not form.is_valid():
            return self._render(roster, form, status=400)
        dry_run = "check" in request.POST
        try:
            count = importing.import_upload(
                actor=request.user,
                program=self.program,
                upload=upload,
                roster=roster,
                mapping=form.mapping(),
                dry_run=dry_run,
            )
        except importing.RosterImportError as exc:
            return self._render(roster, form, error=exc, status=400)
        if dry_run:
            return self._render(roster, form, checked=count)
        noun = "person" if count == 1 else "people"
        messages.success(request, f"Imported {count} {noun} from {upload.filename}.")
        return redirect(self.program_url("person-list"))
