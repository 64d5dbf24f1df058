"""Forms to edit goal fields and goals (base: core.forms.EditForm)."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import EditForm
from leitwerk.guidelines.models import Statement

from .models import Goal, GoalField


class GoalFieldForm(EditForm):
    class Meta:
        model = GoalField
        fields = ["code", "title", "description", "order"]


class GoalForm(EditForm):
    class Meta:
        model = Goal
        fields = ["code", "title", "description", "target_date", "weight", "statements", "public"]
        help_texts = {
            "statements": "Welchen Aussagen des Leitbilds dient dieses Ziel?",
            "public": "Öffentliche Ziele erscheinen im Bürgerportal.",
        }
        widgets = {"statements": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["statements"].queryset = Statement.objects.for_municipality(
            municipality
        ).select_related("section")
