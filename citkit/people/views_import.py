"""Roster import pages: upload a CSV/XLSX file, map its columns, import all or nothing."""

from django.views import View

from citkit.core.views.base import ProgramViewMixin


class RosterUploadView(ProgramViewMixin, View):
    pass


class RosterMappingView(ProgramViewMixin, View):
    pass
