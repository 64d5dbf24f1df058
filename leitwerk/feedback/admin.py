from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from leitwerk.core.admin import register_remaining

from .models import (
    Answer,
    AnswerAggregate,
    Location,
    Response,
    Service,
    Suggestion,
    Survey,
    SurveyCode,
)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "leika_key", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "leika_key"]
    autocomplete_fields = ["municipality"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "opens_on", "closes_on", "municipality"]
    list_filter = ["municipality", "kind", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["municipality", "service", "guideline"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "status", "due_on", "unit", "municipality"]
    list_filter = ["municipality", "status", "category"]
    search_fields = ["text", "answer"]
    autocomplete_fields = ["municipality", "unit"]
    date_hierarchy = "due_on"


class WithheldAdmin(admin.ModelAdmin):
    """Raw answers, unsuppressed counts and codes are not readable here, not even by a
    superuser: a free text of a group of one would otherwise name its author, and the
    promise to the Personalrat is that only figures of groups ≥ k are ever shown.

    Every admin URL of the model stays (the admin smoke test and links resolve) but shows
    only a notice; nothing can be listed, searched, opened, added, changed or deleted.
    """

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        notice = self.admin_site.admin_view(self.withheld_view)
        refuse = self.admin_site.admin_view(self.refused_view)
        return [
            path("", notice, name="{}_{}_changelist".format(*info)),
            path("add/", refuse, name="{}_{}_add".format(*info)),
            path("<path:object_id>/history/", notice, name="{}_{}_history".format(*info)),
            path("<path:object_id>/delete/", notice, name="{}_{}_delete".format(*info)),
            path("<path:object_id>/change/", notice, name="{}_{}_change".format(*info)),
            path("<path:object_id>/", notice),
        ]

    def withheld_view(self, request, object_id=None):
        context = {
            **self.admin_site.each_context(request),
            "title": self.opts.verbose_name_plural,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/feedback/withheld.html", context)

    def refused_view(self, request):
        raise PermissionDenied


for _model in (Response, Answer, AnswerAggregate, SurveyCode):
    admin.site.register(_model, WithheldAdmin)

register_remaining("feedback")
