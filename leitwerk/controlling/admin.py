from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import Measurement, StatusReport


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "measured_on", "period_label", "value", "source", "municipality"]
    list_filter = ["municipality", "source", "measured_on"]
    search_fields = ["indicator__title", "note", "period_label"]
    autocomplete_fields = ["municipality", "indicator", "recorded_by"]
    date_hierarchy = "measured_on"


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "period_label", "reported_on", "health", "author", "municipality"]
    list_filter = ["municipality", "health", "reported_on"]
    search_fields = ["initiative__title", "text", "off_track_note"]
    autocomplete_fields = ["municipality", "initiative", "author"]
    date_hierarchy = "reported_on"


register_remaining("controlling")
