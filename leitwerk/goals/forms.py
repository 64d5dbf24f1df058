"""Forms to edit goal fields and goals (base: core.forms.EditForm)."""

from __future__ import annotations

from typing import Any

from leitwerk.core.forms import EditForm, use_picker
from leitwerk.guidelines.forms import statement_group, statement_label, statements_for_picker

from .models import Goal, GoalField


class GoalFieldForm(EditForm):
    public_text_fields = ("description",)

    class Meta:
        model = GoalField
        fields = ["code", "title", "description", "order"]


class GoalForm(EditForm):
    public_text_fields = ("description",)

    class Meta:
        model = Goal
        fields = [
            "code",
            "title",
            "description",
            "easy_summary",
            "kgst_level",
            "target_date",
            "weight",
            "statements",
            "public",
        ]
        help_texts = {
            "kgst_level": (
                "Nach dieser Ebene des KGSt-Steuerungsmodells ordnet der Haushaltsplan die "
                "Ziele eines Produkts."
            ),
            "statements": "Welchen Aussagen des Leitbilds dient dieses Ziel?",
            "public": "Öffentliche Ziele erscheinen im Bürgerportal.",
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(
            self,
            "statements",
            statements_for_picker(municipality),
            group_by=statement_group,
            choice_label=statement_label,
        )
