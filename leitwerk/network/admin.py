from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import Network, RegistryMunicipality


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "public"]
    list_filter = ["public"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(RegistryMunicipality)
class RegistryMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "state", "population"]
    list_filter = ["state"]
    search_fields = ["name", "ags"]


register_remaining("network")
