from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import Obstacle, SolutionConcept


class SolutionConceptInline(admin.StackedInline):
    model = SolutionConcept
    extra = 0
    fields = ["title", "description"]


@admin.register(Obstacle)
class ObstacleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "impact", "frequency", "municipality"]
    list_filter = ["municipality", "category", "impact"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["municipality", "initiatives"]
    inlines = [SolutionConceptInline]


@admin.register(SolutionConcept)
class SolutionConceptAdmin(admin.ModelAdmin):
    list_display = ["title", "obstacle", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["municipality", "obstacle"]


register_remaining("obstacles")
