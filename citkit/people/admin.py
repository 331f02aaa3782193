from django.contrib import admin

from citkit.core.admin import ReadOnlyAdmin
from citkit.people.models import Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "kind", "agency", "badge_number", "status"]
    list_filter = ["kind", "status", "program"]
    list_select_related = ["agency"]
    search_fields = ["last_name", "badge_number"]
    show_full_result_count = False
