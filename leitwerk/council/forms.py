from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm, limit_choices, use_picker
from leitwerk.municipalities.models import Body, OrganisationalUnit
from leitwerk.plans.models import Initiative
from leitwerk.priorities.models import PriorityItem

from .models import CouncilDecision, DecisionFollowUp, FollowUpStatus, RisSource


class RisSourceForm(EditForm):
    system_url = forms.URLField(
        label=RisSource._meta.get_field("system_url").verbose_name,
        help_text=RisSource._meta.get_field("system_url").help_text,
        max_length=500,
        assume_scheme="https",
    )

    field_order = ["system_url", "daily_sync"]

    class Meta:
        model = RisSource
        # system_url is declared above (https by default), not built from the model field.
        fields = ["daily_sync"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["system_url"].initial = self.instance.system_url


def _scope(form: forms.BaseForm, municipality: Any) -> None:
    """Choices only from the municipality (the service checks it once more)."""
    choices: dict[str, Any] = {
        "body": Body.objects.for_municipality(municipality),
        "unit": OrganisationalUnit.objects.for_municipality(municipality),
        "initiatives": Initiative.objects.for_municipality(municipality).select_related(
            "action_field__plan"
        ),
        "priority_items": PriorityItem.objects.for_municipality(municipality).select_related(
            "round", "initiative"
        ),
    }
    for name, queryset in choices.items():
        if name in form.fields:
            limit_choices(form, name, queryset)
    # Long lists: grouped by plan and by priority list, with a search box (picker.js).
    if "initiatives" in form.fields:
        use_picker(
            form,
            "initiatives",
            choices["initiatives"].order_by("action_field__plan__title", "number", "title"),
            group_by=lambda i: i.action_field.plan.title,
        )
    if "priority_items" in form.fields:
        use_picker(
            form,
            "priority_items",
            choices["priority_items"].order_by("round__title", "rank"),
            group_by=lambda item: item.round.title,
            choice_label=lambda item: f"Platz {item.rank}: {item.initiative.title}",
        )


class DecisionForm(EditForm):
    class Meta:
        model = CouncilDecision
        fields = ["title", "decided_on", "body", "reference", "result", "resolution_text"]
        help_texts = {
            "result": "z. B. „beschlossen“, „geändert beschlossen“, „abgelehnt“",
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, municipality)
        self.fields["decided_on"].required = True


class FollowUpForm(EditForm):
    class Meta:
        model = DecisionFollowUp
        fields = [
            "unit",
            "deadline",
            "status",
            "delay_reason",
            "done_note",
            "initiatives",
            "priority_items",
        ]
        help_texts = {
            "delay_reason": "Pflicht, wenn der Stand „verzögert“ ist.",
            "done_note": "Pflicht, wenn der Stand „erledigt“ ist. Danach verlässt der Beschluss "
            "die Liste; unter „erledigt“ bleibt er mit dem Vermerk sichtbar.",
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, municipality)
        for name in ("unit", "deadline"):
            if name in self.fields:
                self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status == FollowUpStatus.DELAYED and not (data.get("delay_reason") or "").strip():
            self.add_error(
                "delay_reason", "Bitte den Grund der Verzögerung angeben (Pflicht bei „verzögert“)."
            )
        if status == FollowUpStatus.DONE and not (data.get("done_note") or "").strip():
            self.add_error("done_note", "Bitte einen Erledigungsvermerk angeben.")
        return data


class FollowUpStateForm(FollowUpForm):
    """What the responsible unit reports: the state, the reason of a delay, the done note.
    Who is responsible and by when stays with the strategy office (`council.add_decision`)."""

    class Meta(FollowUpForm.Meta):
        fields = ["status", "delay_reason", "done_note"]


class FollowUpStartForm(FollowUpForm):
    """Putting a decision under follow-up: who, by when, and what it concerns."""

    class Meta(FollowUpForm.Meta):
        fields = ["unit", "deadline", "initiatives", "priority_items"]


class FilterForm(AccessibleForm):
    body = forms.ModelChoiceField(
        label="Gremium", queryset=Body.objects.none(), required=False, empty_label="alle"
    )
    status = forms.ChoiceField(
        label="Stand",
        required=False,
        choices=[("", "alle offenen"), *FollowUpStatus.choices],
    )
    unit = forms.ModelChoiceField(
        label="federführende Stelle",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        empty_label="alle",
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, municipality)


def _quarters() -> list[tuple[str, str]]:
    today = dt.date.today()  # noqa: DTZ011 - a choice list in the local calendar
    result = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(8):
        result.append((f"{year}-{quarter}", f"Q{quarter}/{year}"))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return result


class PaperForm(AccessibleForm):
    quarter = forms.ChoiceField(label="Quartal", choices=_quarters)
    fmt = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF (zum Verteilen)"), ("docx", "Word (zum Weiterbearbeiten im RIS)")],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def period(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return int(year), int(quarter)
