"""Roster import pages: upload a CSV/XLSX file, map its columns, import all or nothing."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.permissions import membership_for
from citkit.core.views.base import ProgramViewMixin
from citkit.people import importing, services
from citkit.people.models import PersonKind, PersonStatus, RosterUpload, Shift


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


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text=(
            f"CSV saved as 'CSV UTF-8', or an Excel workbook (.xlsx); up to "
            f"{settings.CITKIT_IMPORT_MAX_BYTES // (1024 * 1024)} MB and "
            f"{importing.MAX_ROWS:,} rows. The first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            importing.check_size(upload.size)
        except importing.RosterImportError as exc:
            raise forms.ValidationError([p.message for p in exc.problems]) from exc
        return upload


class RosterMappingForm(forms.Form):
    """One select per column of the file: which Person field it holds, if any."""

    IGNORE = ("", "— ignore —")

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [self.IGNORE, *importing.IMPORT_FIELDS.items()]
        for i, header in enumerate(headers):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"column_{i}"] for i, h in enumerate(self.headers)}


class _ImportAccessMixin:
    """Coordinators and agency administrators only (403 others, 404 outsiders)."""

    def dispatch(self, request, *args, **kwargs):
        # ProgramViewMixin (earlier in the MRO) has resolved self.program by now.
        self.own_agency_id = services.managed_agency_id(request.user, self.program)
        return super().dispatch(request, *args, **kwargs)

    def import_context(self, **kwargs):
        own = None
        if self.own_agency_id is not None:
            own = membership_for(self.request.user, self.program).agency
        return self.get_context_data(own_agency=own, **kwargs)


class RosterUploadView(ProgramViewMixin, _ImportAccessMixin, View):
    """Step 1: upload the file. It is read at once, so a broken file is refused here."""

    def _render(self, request, form, status=200):
        fields = [
            (label, FIELD_HELP.get(name, "")) for name, label in importing.IMPORT_FIELDS.items()
        ]
        return render(
            request,
            "people/import_upload.html",
            self.import_context(form=form, fields=fields),
            status=status,
        )

    def get(self, request, program):
        return self._render(request, RosterUploadForm())

    def post(self, request, program):
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                importing.read_roster(upload.name, content)
            except importing.RosterImportError as exc:
                form.add_error("file", [str(p) for p in exc.problems])
            else:
                stored = importing.store_upload(
                    program=self.program, user=request.user, filename=upload.name, content=content
                )
                return redirect("roster-import-map", program=self.program.slug, pk=stored.pk)
        return self._render(request, form, status=400)


class RosterMappingView(ProgramViewMixin, _ImportAccessMixin, View):
    """Step 2: match columns to fields, check every row, import all of them or none."""

    def _upload(self, pk) -> RosterUpload:
        return get_object_or_404(
            RosterUpload, pk=pk, program=self.program, uploaded_by=self.request.user
        )

    def _render(self, request, upload, roster, form, *, error=None, checked=0, status=200):
        return render(
            request,
            "people/import_map.html",
            self.import_context(
                upload=upload,
                roster=roster,
                form=form,
                preview=roster.preview(5) if roster else [],
                problems=error.problems if error else [],
                more_problems=error.more if error else 0,
                problem_count=(len(error.problems) + error.more) if error else 0,
                checked=checked,
            ),
            status=status,
        )

    def _read(self, upload):
        try:
            return importing.read_roster(upload.filename, bytes(upload.content)), None
        except importing.RosterImportError as exc:  # e.g. the size limit was lowered since
            return None, exc

    def get(self, request, program, pk):
        upload = self._upload(pk)
        roster, error = self._read(upload)
        form = None
        if roster:
            guess = importing.guess_mapping(roster.headers)
            form = RosterMappingForm(headers=roster.headers, initial_mapping=guess)
        return self._render(request, upload, roster, form, error=error)

    def post(self, request, program, pk):
        upload = self._upload(pk)
        if "cancel" in request.POST:
            upload.delete()
            messages.info(request, f"Import of {upload.filename} cancelled; nothing was imported.")
            return redirect("person-list", program=self.program.slug)
        roster, error = self._read(upload)
        if roster is None:
            return self._render(request, upload, None, None, error=error, status=400)
        form = RosterMappingForm(request.POST, headers=roster.headers, initial_mapping={})
        if not form.is_valid():
            return self._render(request, upload, roster, form, status=400)
        dry_run = "check" in request.POST
        try:
            with transaction.atomic():
                count = importing.import_roster(
                    actor=request.user,
                    program=self.program,
                    roster=roster,
                    mapping=form.mapping(),
                    dry_run=dry_run,
                )
                if not dry_run:
                    upload.delete()
        except importing.RosterImportError as exc:
            return self._render(request, upload, roster, form, error=exc, status=400)
        if dry_run:
            return self._render(request, upload, roster, form, checked=count)
        noun = "person" if count == 1 else "people"
        messages.success(request, f"Imported {count} {noun} from {upload.filename}.")
        return redirect("person-list", program=self.program.slug)
