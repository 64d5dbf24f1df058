"""Forms of the action plan pages. Choices are always scoped to the current municipality.

The base classes (`EditForm`, `AccessibleForm`) live in the kernel, `leitwerk/core/forms.py`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from leitwerk.core.forms import DATE, AccessibleForm, EditForm, limit_choices, use_picker
from leitwerk.core.status import REPORTABLE_HEALTH, Health
from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.guidelines.forms import statement_group, statement_label, statements_for_picker
from leitwerk.municipalities.models import Body, OrganisationalUnit
from leitwerk.plans.models import Measurement

from .models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    InitiativeStatus,
    Milestone,
    SubInitiative,
    TransferCity,
)


class PlanForm(EditForm):
    public_text_fields = ("description",)

    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "description",
            "status",
            "period_start",
            "period_end",
            "adopted_on",
            "adopted_by",
            "adoption_reference",
            "reporting_interval_days",
            "public",
        ]
        help_texts = {
            "reporting_interval_days": "Nach so vielen Tagen ohne Meldung gilt ein Vorhaben "
            "als „ohne aktuelle Meldung“.",
            "public": "Öffentliche Pläne erscheinen im Bürgerportal.",
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "adopted_by", Body.objects.filter(municipality=municipality))


class ActionFieldForm(EditForm):
    class Meta:
        model = ActionField
        fields = ["code", "title", "description", "order"]
        help_texts = {"code": "z. B. „A“ oder „1“", "order": "Kleinere Zahlen stehen weiter oben."}


class InitiativeForm(EditForm):
    public_text_fields = ("objective", "description")

    class Meta:
        model = Initiative
        fields = [
            "number",
            "title",
            "objective",
            "description",
            "easy_summary",
            "status",
            "lead_unit",
            "responsible_people",
            "start_date",
            "end_date",
            "period_text",
            "effort_person_days",
            "budget_eur",
            "weight",
            "statements",
            "goals",
            "public",
        ]
        labels = {"title": "Titel des Vorhabens"}
        help_texts = {
            "objective": "Was soll erreicht sein, wenn das Vorhaben fertig ist?",
            "responsible_people": "Die genannten Personen können Sachstände und Messwerte "
            "melden, wenn sie die Rolle Projektleitung haben.",
            "period_text": "Nur, wenn es noch keine genauen Daten gibt, z. B. „ab Herbst 2026“.",
            "weight": "Wie stark das Vorhaben im Aktionsfeld zählt (Standard 1).",
            "public": "Öffentliche Vorhaben erscheinen im Bürgerportal.",
        }
        widgets = {
            "responsible_people": forms.CheckboxSelectMultiple,
            "objective": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "easy_summary": forms.Textarea(attrs={"rows": 3}),
        }

    # Only the strategy office and admins decide these (plans.steer_initiative, audit L3).
    STEERED = ("budget_eur", "weight", "public")

    def __init__(
        self, *args: Any, municipality: Any, may_steer: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if not may_steer:
            # Not shown, and a value posted anyway is ignored: the form has no such field.
            for name in self.STEERED:
                del fields[name]
        fields["lead_unit"].queryset = OrganisationalUnit.objects.filter(municipality=municipality)
        fields["responsible_people"].queryset = (
            get_user_model()
            .objects.filter(memberships__municipality=municipality)
            .distinct()
            .order_by("last_name", "first_name")
        )
        use_picker(
            self,
            "statements",
            statements_for_picker(municipality),
            group_by=statement_group,
            choice_label=statement_label,
        )
        use_picker(
            self,
            "goals",
            Goal.objects.for_municipality(municipality).by_field(),
            group_by=goal_group,
        )

    def changes(self) -> dict[str, Any]:
        # Only the fields this person was offered (the steered ones may be absent).
        names = self._meta.fields or []
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


class SubInitiativeForm(EditForm):
    class Meta:
        model = SubInitiative
        fields = ["kind", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(EditForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_on", "is_success_factor", "weight", "order"]
        help_texts = {
            "done_on": "Leer lassen, solange der Meilenstein offen ist.",
            "is_success_factor": "Ein Erfolgsfaktor ist ein Meilenstein, ohne den das "
            "Vorhaben sein Ziel nicht erreicht.",
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(EditForm):
    class Meta:
        model = Indicator
        fields = [
            "title",
            "kind",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
            "weight",
            "public",
        ]
        help_texts = {
            "unit": "z. B. %, Tage, Anzahl",
            "baseline": "Der Wert zu Beginn – ab hier zählt der Fortschritt.",
            "target": "Der Wert, der bis zum Zieldatum erreicht sein soll.",
        }
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}


class TransferCityForm(EditForm):
    class Meta:
        model = TransferCity
        fields = ["name", "ags", "order"]
        labels = {"name": "Kommune"}
        help_texts = {
            "name": "Eine Kommune, von deren Erfahrung dieses Vorhaben lernen kann.",
            "ags": "Amtlicher Gemeindeschlüssel (8 Ziffern), wenn bekannt.",
        }


class MilestoneDoneForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="erreicht am", required=False, widget=DATE)


class MeasurementForm(AccessibleForm):
    measured_on = forms.DateField(
        label="Stichtag", widget=DATE, help_text="Für welchen Tag gilt der Wert?"
    )
    value = forms.DecimalField(
        label="Wert",
        max_digits=16,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Mit Komma, z. B. 27,5",
    )
    note = forms.CharField(
        label="Anmerkung", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate()


class MeasurementEditForm(EditForm):
    """Correcting a recorded value (the same fields as recording one)."""

    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note"]
        help_texts = {
            "measured_on": "Für welchen Tag gilt der Wert? Der Zeitraum ergibt sich daraus.",
            "value": "Mit Komma, z. B. 27,5",
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class StatusReportForm(AccessibleForm):
    """One Sachstandsmeldung; the reporting period follows from the day (core/periods.py).

    `next` carries the page the person came from ("Meine Aktualisierungen") through a refused
    first attempt, so the confirmation lands where the report was started.
    """

    next = forms.CharField(widget=forms.HiddenInput, required=False)

    health = forms.ChoiceField(
        label="Wie läuft es?",
        choices=[(h.value, h.label) for h in REPORTABLE_HEALTH],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Sachstand",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Was ist seit der letzten Meldung passiert? Zwei, drei Sätze genügen.",
    )
    off_track_note = forms.CharField(
        label="Warum und was nun?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Pflicht bei „kritisch“: Warum hakt es, und was passiert jetzt?",
    )


class AttachmentForm(AccessibleForm):
    file = forms.FileField(
        label="Datei",
        help_text="PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT oder CSV, höchstens 10 MB.",
    )


_DAY_ERRORS = {
    "required": "Bitte ein gültiges Datum angeben.",
    "invalid": "Bitte ein gültiges Datum angeben.",
}


def session_choices(sessions: Any, empty: str) -> list[tuple[str, str]]:
    """(ISO day, "12.03.2026 – Rat: …") for a select of sessions (history.Session rows)."""
    return [("", empty)] + [(s.day.isoformat(), s.label) for s in sessions]


class AsOfForm(AccessibleForm):
    """ "Stand am <Datum>" or "Stand zur Sitzung <Sitzung>": two GET forms, one field each.

    The session list is a select of days (`set_sessions`); a session wins over a typed date.
    """

    datum = forms.DateField(
        label="Stand am", widget=DATE, required=False, error_messages=_DAY_ERRORS
    )
    sitzung = forms.DateField(
        label="Stand zur Sitzung",
        widget=forms.Select,
        required=False,
        error_messages=_DAY_ERRORS,
        help_text="Sitzungstage sind die Tage, an denen ein Gremium etwas entschieden hat.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["day"] = data.get("sitzung") or data.get("datum")
        if data["day"] is None:
            self.add_error("datum", _DAY_ERRORS["required"])
        return data

    def set_sessions(self, sessions: Any) -> None:
        self.fields["sitzung"].widget.choices = session_choices(sessions, "– Sitzung wählen –")


class ChangesForm(AccessibleForm):
    """ "Was hat sich seit … geändert?": from a session or a date, up to a date (today)."""

    seit = forms.DateField(
        label="seit der Sitzung",
        widget=forms.Select,
        required=False,
        error_messages=_DAY_ERRORS,
    )
    von = forms.DateField(
        label="oder seit dem Datum",
        widget=DATE,
        required=False,
        error_messages=_DAY_ERRORS,
        help_text="Ein Datum hier geht der gewählten Sitzung vor.",
    )
    bis = forms.DateField(
        label="bis zum Datum",
        widget=DATE,
        required=False,
        error_messages=_DAY_ERRORS,
        help_text="Leer: bis heute.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["since"] = data.get("von") or data.get("seit")
        until = data.get("bis")
        if data["since"] and until and data["since"] > until:
            self.add_error("von", "Der Anfang liegt nach dem Ende; bitte ein früheres Datum.")
        return data

    def set_sessions(self, sessions: Any) -> None:
        self.fields["seit"].widget.choices = session_choices(sessions, "– letzte Sitzung –")


class PlanFilterForm(AccessibleForm):
    """Filters of the plan view; every field optional, so an empty form shows everything."""

    unit = forms.ModelChoiceField(
        label="federführende Einheit", queryset=OrganisationalUnit.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "alle")] + list(InitiativeStatus.choices), required=False
    )
    health = forms.ChoiceField(
        label="Einschätzung",
        choices=[("", "alle")] + [(h.value, h.label) for h in Health],
        required=False,
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "unit",
            OrganisationalUnit.objects.filter(municipality=municipality).order_by("name"),
        )
        unit = self.fields["unit"]
        if isinstance(unit, forms.ModelChoiceField):
            unit.empty_label = "alle"

    def matches(self, row: Any) -> bool:
        """Whether a row of the plan page (selectors.InitiativeRow) fits the filters."""
        if not self.is_bound or not self.is_valid():
            return True
        data = self.cleaned_data
        initiative = row.initiative
        if data["unit"] is not None and initiative.lead_unit_id != data["unit"].pk:
            return False
        if data["status"] and initiative.status != data["status"]:
            return False
        info = row.progress
        if data["health"]:
            # "ohne aktuelle Meldung" is a flag beside the health, not a health of its own.
            if data["health"] == Health.STALE:
                return bool(info and info.stale)
            return bool(info and info.health == data["health"])
        return True

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


def initiative_group(initiative: Initiative) -> str:
    """ "Aktionsplan 2026 – A Digitale Verwaltung": the plan and field a Vorhaben belongs to."""
    field = initiative.action_field
    return f"{field.plan.title} – {field}"


def goal_group(goal: Goal) -> str:
    return str(goal.goal_field)


class FrameworkConceptForm(EditForm):
    """A Rahmenkonzept with the goals and plans it frames (the plans link from their side)."""

    plans = forms.ModelMultipleChoiceField(
        label="Aktionspläne",
        queryset=ActionPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Welche Aktionspläne setzen dieses Rahmenkonzept um?",
    )

    class Meta:
        model = FrameworkConcept
        fields = [
            "title",
            "description",
            "valid_from",
            "valid_to",
            "adopted_by",
            "adopted_on",
            "goal_fields",
            "goals",
        ]
        help_texts = {
            "valid_to": "Leer lassen, wenn das Konzept bis auf Weiteres gilt.",
            "adopted_by": "Welches Gremium hat das Rahmenkonzept beschlossen?",
        }
        widgets = {"goal_fields": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["adopted_by"].queryset = Body.objects.filter(municipality=municipality)
        fields["goal_fields"].queryset = GoalField.objects.filter(municipality=municipality)
        fields["plans"].queryset = ActionPlan.objects.filter(municipality=municipality).order_by(
            "title"
        )
        if self.instance.pk and not self.is_bound:
            fields["plans"].initial = [plan.pk for plan in self.instance.action_plans.all()]
        use_picker(
            self,
            "goals",
            Goal.objects.for_municipality(municipality).by_field(),
            group_by=goal_group,
        )

    def changes(self) -> dict[str, Any]:
        return {**super().changes(), "plans": self.cleaned_data["plans"]}
