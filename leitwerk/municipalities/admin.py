from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import Body, Membership, Municipality, OrganisationalUnit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ags", "kind", "state", "population", "parent"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "slug", "ags"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "headcount", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["municipality", "parent"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "unit", "body"]
    list_filter = ["municipality", "role"]
    search_fields = ["user__email", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "municipality", "unit", "body"]


register_remaining("municipalities")
