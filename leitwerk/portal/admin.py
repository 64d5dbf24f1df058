from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import ParticipationOpportunity


@admin.register(ParticipationOpportunity)
class ParticipationOpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "starts_at", "location", "public")
    list_filter = ("municipality", "public")
    search_fields = ("title", "description", "location")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("municipality", "initiative")


register_remaining("portal")
