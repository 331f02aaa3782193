"""Django admin: a read-only window for deployment administrators.

Every change to citkit's records goes through a service so it is checked and
audited; the admin would be a door around that, so it only shows.
"""

from django.contrib import admin

from citkit.core.models import AuditEntry, Membership, Program


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "jurisdiction", "time_zone"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "program", "role", "agency"]
    list_filter = ["role", "program"]
    list_select_related = ["user", "program", "agency"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "program", "actor_label", "source", "action", "object_repr"]
    list_filter = ["action", "source"]
    list_select_related = ["program"]
    show_full_result_count = False
