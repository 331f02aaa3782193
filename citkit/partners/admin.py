from django.contrib import admin

from citkit.core.admin import ReadOnlyAdmin
from citkit.partners.models import Agency


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "program", "agency_type", "operates_24_7", "active"]
    list_filter = ["agency_type", "program"]
    search_fields = ["name"]
