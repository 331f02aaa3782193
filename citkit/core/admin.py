"""Django admin: a read-only window for deployment administrators.

Every change to citkit's records goes through a service so it is checked and
audited; the admin would be a door around that, so it only shows.
"""

from django.contrib import admin

from citkit.core.models import AccessEntry, ApiToken, AuditEntry, Invitation, Membership, Program


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


@admin.register(AccessEntry)
class AccessEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "program", "user_label", "source", "action", "what", "rows"]
    list_filter = ["action", "source"]
    list_select_related = ["program"]
    show_full_result_count = False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    # Deployment administrators see which account an invitation reached; coordinators never.
    list_display = ["created_at", "program", "username", "email", "user", "role", "status"]
    list_filter = ["status", "role"]
    list_select_related = ["program", "user"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    exclude = ["key_hash"]


# django-otp registers pages that add, change and delete authenticator devices and
# recovery codes: a door around the second factor, audited nowhere. Resets go through
# `manage.py second_factor_reset` or a coordinator's reset, both audited.
def _unregister_device_pages() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_device_pages()
