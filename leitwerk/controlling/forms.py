"""Forms of the controlling cockpit. Every choice is scoped to the current municipality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from leitwerk.core.forms import DATE, AccessibleForm, GroupedModelMultipleChoiceField, limit_choices
from leitwerk.goals.models import Goal
from leitwerk.municipalities.models import Membership, OrganisationalUnit
from leitwerk.plans.forms import goal_group, initiative_group
from leitwerk.plans.models import ActionPlan, Direction, Initiative


class DashboardFilterForm(AccessibleForm):
    plan = forms.ModelChoiceField(
        label="Aktionsplan",
        queryset=ActionPlan.objects.none(),
        required=False,
        empty_label="alle Pläne",
    )
    unit = forms.ModelChoiceField(
        label="federführende Einheit",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        empty_label="alle Einheiten",
    )
    drafts = forms.BooleanField(
        label="Entwürfe zeigen",
        required=False,
        help_text="Vorhaben aus Plan-Entwürfen mitzählen (sonst nicht berücksichtigt).",
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "plan", ActionPlan.objects.for_municipality(municipality))
        limit_choices(self, "unit", OrganisationalUnit.objects.for_municipality(municipality))


class _PeopleField(forms.ModelMultipleChoiceField):
    """People by name; by e-mail address when they gave none."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class CommentForm(AccessibleForm):
    text = forms.CharField(
        label="Kommentar oder Zwischenergebnis",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    feedback_from = _PeopleField(
        label="Rückmeldung erbitten von (optional)",
        help_text="Diese Personen bekommen eine E-Mail mit der Bitte um Rückmeldung.",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Any, exclude_user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(municipality=municipality).values("user_id")
        people = get_user_model().objects.filter(pk__in=members, is_active=True)
        if exclude_user is not None:
            people = people.exclude(pk=exclude_user.pk)
        limit_choices(self, "feedback_from", people.order_by("last_name", "first_name", "email"))


KIND_CHOICES = [
    (
        "quantitative",
        "Zahl oder Anteil – z. B. Anzahl Abstimmungsschleifen, Anteil Online-Anträge in %",
    ),
    ("yes_no", "Ja/Nein – z. B. „Dienstanweisung ist in Kraft“"),
    ("checklist", "Checkliste – mehrere Schritte, die abgehakt werden"),
    ("survey", "Umfragewert – z. B. Zufriedenheit auf einer Skala von 1 bis 5"),
]


class MakeMeasurableForm(AccessibleForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(
        label="Indikator (genauer formuliert)",
        help_text="Was genau wird gezählt oder geprüft? Sie können den Text so lassen.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label="Wie messen Sie es?", choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    unit = forms.CharField(
        label="Einheit",
        required=False,
        max_length=50,
        help_text="z. B. „Schleifen“, „%“, „Tage“, „Punkte (1–5)“",
    )
    baseline = forms.DecimalField(
        label="Ausgangswert (heute)", required=False, max_digits=16, decimal_places=4, localize=True
    )
    baseline_date = forms.DateField(label="Stand des Ausgangswerts", required=False, widget=DATE)
    target = forms.DecimalField(
        label="Zielwert", required=False, max_digits=16, decimal_places=4, localize=True
    )
    direction = forms.ChoiceField(
        label="Was ist besser?",
        choices=[
            (Direction.INCREASE, "mehr ist besser"),
            (Direction.DECREASE, "weniger ist besser"),
        ],
        widget=forms.RadioSelect,
        initial=Direction.INCREASE,
    )
    checklist = forms.CharField(
        label="Punkte der Checkliste",
        help_text="Ein Punkt je Zeile.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    target_date = forms.DateField(label="Bis wann soll das Ziel erreicht sein?", widget=DATE)

    def checklist_items(self) -> list[str]:
        return [
            line.strip()
            for line in (self.cleaned_data.get("checklist") or "").splitlines()
            if line.strip()
        ]


class SearchForm(AccessibleForm):
    q = forms.CharField(label="Suchbegriff", max_length=200, required=False)


MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class BulkUploadForm(AccessibleForm):
    file = forms.FileField(
        label="Bearbeitete Excel-Datei (.xlsx)",
        help_text="Die Datei, die Sie hier heruntergeladen und bearbeitet haben (höchstens 5 MB).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Die Datei ist größer als 5 MB.")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Bitte eine Excel-Datei im Format .xlsx hochladen.")
        return upload


class AlignmentPickForm(AccessibleForm):
    """Which Vorhaben (or goals) serve one Leitbild statement: one grouped, searchable list."""

    def __init__(self, data: Any = None, *, pick: Any) -> None:
        super().__init__(data, initial={"targets": pick.linked})
        ids = [row.pk for row in pick.candidates]
        municipality = pick.statement.municipality_id
        rows: Any
        group_by: Any
        if pick.kind == "initiative":
            rows = Initiative.objects.for_municipality(municipality).by_plan()
            group_by, label = initiative_group, "Vorhaben, die dieser Aussage dienen"
        else:
            rows = Goal.objects.for_municipality(municipality).by_field()
            group_by, label = goal_group, "Ziele, die dieser Aussage dienen"
        self.fields["targets"] = GroupedModelMultipleChoiceField(
            rows.filter(pk__in=ids),
            group_by=group_by,
            label=label,
            help_text="Angekreuzt heißt verknüpft. Ein Häkchen entfernen löst die Verknüpfung.",
            required=False,
        )
