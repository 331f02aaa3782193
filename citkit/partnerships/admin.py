from django.contrib import admin

from citkit.core.admin import ReadOnlyAdmin
from citkit.partnerships.models import Location, Mou, Responsibility, Service


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "service_type", "status", "program"]
    list_filter = ["service_type", "status", "program"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "city", "program"]
    search_fields = ["name", "city"]


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "kind", "available_24_7", "program"]
    list_filter = ["kind", "program"]


@admin.register(Mou)
class MouAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "kind", "ends_on", "program"]
    list_filter = ["status", "program"]
    search_fields = ["title"]
