"""Import and export paths a person rarely takes: refusals, stale corrections, odd plans.

Every test states what the person sees (a German message, an exit code, a file) and what the
database holds afterwards; "nothing was saved" is checked against the tables, not assumed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.urls import reverse

from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.imports import gazetteer
from leitwerk.imports.models import ImportRun, ImportRunStatus
from leitwerk.imports.services import (
    ImportFailed,
    guideline_import,
    import_run_execute,
    plan_export,
    plan_import,
)
from leitwerk.imports.tests.factories import ImportRunFactory
from leitwerk.imports.uploads import stored_name, upload_store
from leitwerk.plans.models import ActionField, ActionPlan, Initiative
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    InitiativeFactory,
)

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung\n"
    "1;Aktionsfeld A Digitale Verwaltung;Online-Terminvergabe;Kürzere Wartezeiten\n"
    "2;;Digitale Akte;Weniger Papier\n"
    "3;Aktionsfeld B Klima;Stadtbäume pflanzen;Mehr Schatten\n"
)

GUIDELINE = """Leitbild der Gemeinde Musterstadt

1. Offenheit
Wir hören einander zu.
Wir handeln transparent.

2. Verantwortung
Wir gehen sorgsam mit öffentlichem Geld um.
"""

# Headings collected at the end: the "Ich" statements are assigned by position only and are
# therefore marked for review (the only ones the preview offers for correction).
TWO_COLUMN = """Wir lernen voneinander und teilen Wissen.

 Ich frage nach.
 Ich höre zu.

Wir achten auf unsere Gesundheit.

 Ich mache Pausen.
 Ich bewege mich.

GEMEINSAM LERNEN

GEMEINSAM GESUND

LEITLINIEN
"""

# <ul> without <li>: the item boundaries are only proposed, so both lists are marked for review.
LOST_LISTS = (
    "Nr.;Vorhaben;Umsetzungsideen;Meilensteine\n"
    '1;Radwege;"<ul>Radwege planen Bürger beteiligen</ul>";'
    '"<ul>Konzept beschlossen Bau begonnen</ul>"\n'
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def error_of(failure: pytest.ExceptionInfo[ImportFailed]) -> str:
    assert len(failure.value.errors) == 1
    return failure.value.errors[0].message


def parse_csv(data: bytes) -> list[list[str]]:
    """The exported table: the rows under the title block and its blank line."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return rows[rows.index([]) + 1 :]


# --- preview corrections that no longer fit the file ---------------------------------------


STALE = "passt nicht mehr zur Datei"


@pytest.mark.parametrize(
    "choice",
    [
        pytest.param({"section": 5, "statement": 0}, id="section-gone"),
        pytest.param({"section": 0, "statement": 9}, id="statement-gone"),
        pytest.param({"section": 0, "statement": 0, "kind": "ich"}, id="statement-not-flagged"),
        pytest.param({"section": 0, "statement": 1, "to_section": 7}, id="target-gone"),
    ],
)
def test_a_statement_correction_that_does_not_fit_the_file_stores_nothing(
    musterstadt, tmp_path, choice
):
    path = write(tmp_path / "leitbild.txt", TWO_COLUMN)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=path, statement_choices=[choice])
    assert STALE in error_of(failure) and "nichts gespeichert" in error_of(failure)
    assert not GuidelineDocument.objects.exists() and not Statement.objects.exists()


def test_the_same_statement_correction_is_accepted_while_it_fits(musterstadt, tmp_path):
    # Counterpart of the refusals above: a fitting choice on the flagged statement goes through.
    path = write(tmp_path / "leitbild.txt", TWO_COLUMN)
    guideline_import(
        municipality=musterstadt,
        path=path,
        statement_choices=[{"section": 0, "statement": 1, "kind": "anliegen"}],
    )
    assert Statement.objects.get(text="Ich frage nach.").kind == "anliegen"


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"field": 3, "initiative": 0, "key": "ideas"}, id="field-gone"),
        pytest.param({"field": 0, "initiative": 4, "key": "ideas"}, id="initiative-gone"),
    ],
)
def test_a_list_correction_for_a_vorhaben_not_in_the_file_stores_nothing(
    musterstadt, tmp_path, edit
):
    path = write(tmp_path / "plan.csv", LOST_LISTS)
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=musterstadt, path=path, list_edits=[{**edit, "items": ["x"]}])
    assert STALE in error_of(failure)
    assert not ActionPlan.objects.exists() and not Initiative.objects.exists()


# --- upload form ------------------------------------------------------------------------------


def test_an_oversized_upload_is_refused_before_anything_is_stored(
    strategy_user, client_for, settings
):
    settings.LEITWERK_IMPORT_MAX_BYTES = 1024 * 1024
    uploads = Path(settings.VAR_DIR) / "uploads"
    before = set(uploads.iterdir()) if uploads.exists() else set()
    big = SimpleUploadedFile("plan.csv", PLAN_CSV.encode() + b"x" * (1024 * 1024))
    response = client_for(strategy_user).post(
        reverse("imports:upload"), {"kind": "plan", "file": big}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Die Datei ist größer als 1 MB."]}
    assert "Die Datei ist größer als 1 MB." in response.content.decode()
    assert (set(uploads.iterdir()) if uploads.exists() else set()) == before
    assert not ActionPlan.objects.exists()


def test_an_oversized_mapping_file_is_refused_in_the_mapping_field(strategy_user, client_for):
    mapping = SimpleUploadedFile("zuordnung.toml", b"#" * (256 * 1024 + 1))
    response = client_for(strategy_user).post(
        reverse("imports:upload"),
        {
            "kind": "plan",
            "file": SimpleUploadedFile("plan.csv", PLAN_CSV.encode()),
            "mapping": mapping,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "mapping": ["Die Zuordnungsdatei ist größer als 256 KB."]
    }
    assert "Jetzt importieren" not in response.content.decode()
    assert not ActionPlan.objects.exists()


# --- web import of a guideline ----------------------------------------------------------------


def test_a_finished_guideline_import_links_to_the_new_document(
    strategy_user, client_for, musterstadt
):
    client = client_for(strategy_user)
    preview = client.post(
        reverse("imports:upload"),
        {"kind": "guideline", "file": SimpleUploadedFile("leitbild.txt", GUIDELINE.encode())},
    )
    response = client.post(
        reverse("imports:confirm"),
        {"token": preview.context["token"], "action": "import"},
        follow=True,
    )
    doc = GuidelineDocument.objects.get(municipality=musterstadt)
    page = response.content.decode()
    assert f'href="{reverse("guidelines:detail", args=[doc.pk])}"' in page
    assert Statement.objects.filter(municipality=musterstadt).count() == 3


# --- background import ------------------------------------------------------------------------


def _queued_upload(musterstadt, *, kind="plan", name="plan.csv", content=PLAN_CSV):
    token = upload_store(
        session={},
        municipality_id=musterstadt.pk,
        kind=kind,
        uploaded=SimpleUploadedFile(name, content.encode()),
    )
    return token, name


@pytest.mark.parametrize("status", [ImportRunStatus.DONE, ImportRunStatus.FAILED])
def test_a_run_delivered_twice_by_the_queue_is_not_imported_again(musterstadt, settings, status):
    token, name = _queued_upload(musterstadt)
    run = ImportRunFactory(
        municipality=musterstadt,
        status=status,
        error="früherer Fehler" if status == ImportRunStatus.FAILED else "",
        options={"token": token, "name": name, "choices": {}},
    )
    again = import_run_execute(run_id=run.pk)
    assert again.status == status and again.error == run.error
    assert not ActionPlan.objects.exists()
    # The finished run already cleaned up; a repeated delivery must not touch anything.
    assert (Path(settings.VAR_DIR) / "uploads" / token / stored_name(name)).is_file()


@pytest.mark.parametrize(
    ("token", "name"),
    [
        pytest.param("../draussen", "plan.csv", id="token-climbs-out"),
        pytest.param("", "plan.csv", id="no-token"),
        pytest.param("sicher", "../plan.csv", id="name-with-folder"),
        pytest.param("sicher", "", id="no-name"),
        pytest.param("weg", "plan.csv", id="folder-already-removed"),
    ],
)
def test_a_queued_run_without_its_upload_fails_with_a_german_message(
    musterstadt, tmp_path, settings, token, name
):
    # Importable decoys where a careless path join would land: the run must not read them,
    # and its clean-up must not delete anything outside its own upload folder.
    settings.VAR_DIR = str(tmp_path)
    (tmp_path / "draussen").mkdir()
    (tmp_path / "uploads" / "sicher").mkdir(parents=True)
    decoys = [
        write(tmp_path / "draussen" / "plan.csv", PLAN_CSV),
        write(tmp_path / "uploads" / "plan.csv", PLAN_CSV),
    ]
    run = ImportRunFactory(
        municipality=musterstadt,
        status=ImportRunStatus.QUEUED,
        options={"token": token, "name": name, "choices": {}},
    )
    done = import_run_execute(run_id=run.pk)
    assert done.status == ImportRunStatus.FAILED
    assert done.error == (
        "Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch; "
        "es wurde nichts gespeichert."
    )
    assert not ActionPlan.objects.exists()
    assert all(decoy.is_file() for decoy in decoys)


def test_an_unexpected_crash_in_the_worker_is_reported_and_cleans_up(
    musterstadt, settings, monkeypatch
):
    token, name = _queued_upload(musterstadt)
    run = ImportRunFactory(
        municipality=musterstadt,
        status=ImportRunStatus.QUEUED,
        options={"token": token, "name": name, "choices": {}},
    )

    def crash(**_kwargs):
        raise RuntimeError("connection reset")

    monkeypatch.setattr("leitwerk.imports.services.plan.plan_import", crash)
    done = import_run_execute(run_id=run.pk)
    assert done.status == ImportRunStatus.FAILED
    assert done.error == "Der Import ist unerwartet abgebrochen; es wurde nichts gespeichert."
    assert "connection reset" not in done.error  # internals stay in the log
    assert not (Path(settings.VAR_DIR) / "uploads" / token).exists()


# --- guideline service ------------------------------------------------------------------------


def test_a_guideline_path_that_cannot_be_read_is_refused(musterstadt, tmp_path):
    folder = tmp_path / "leitbild.txt"
    folder.mkdir()
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=folder)
    assert error_of(failure).startswith("Die Datei kann nicht gelesen werden:")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_longer_than_its_reported_size_is_still_held_to_the_limit(musterstadt, settings):
    # /proc files report size 0 like a file that grows while it is read; the read is capped.
    settings.LEITWERK_IMPORT_MAX_BYTES = 20
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=Path("/proc/self/status"))
    assert error_of(failure) == "Die Datei ist zu groß."


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (
            RecursionError(),
            "Die Datei ist zu tief verschachtelt und kann nicht gelesen werden.",
        ),
        (KeyError("x"), "Die Datei konnte nicht ausgewertet werden (KeyError)."),
    ],
)
def test_a_parser_crash_becomes_a_german_message(
    musterstadt, tmp_path, monkeypatch, raised, message
):
    def crash(data, filename):
        raise raised

    monkeypatch.setattr("leitwerk.imports.services.guideline.parse_guideline", crash)
    path = write(tmp_path / "leitbild.txt", GUIDELINE)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=path)
    assert error_of(failure) == message
    assert not GuidelineDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leitbild.html", "<html><body><p> </p></body></html>"),
        ("leitbild.html", "<script>var leitbild = 'Wir hören zu.';</script>"),
    ],
)
def test_a_guideline_file_with_markup_but_no_text_is_refused(musterstadt, tmp_path, name, content):
    # Not "empty" in bytes, so the size check lets it through; the text check must not.
    path = write(tmp_path / name, content)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=path)
    assert error_of(failure) == "Die Datei enthält keinen Text."
    assert not GuidelineDocument.objects.exists()


def test_a_refusal_after_the_guideline_was_written_keeps_its_message_and_nothing_else(
    musterstadt, tmp_path, monkeypatch
):
    from leitwerk.imports.services import common

    real_record = common.run_record

    def refuse_after_writing(**fields):
        real_record(**fields)
        raise ImportFailed.single("Abschnitt 2: Die Nummer ist doppelt.")

    monkeypatch.setattr("leitwerk.imports.services.guideline.run_record", refuse_after_writing)
    path = write(tmp_path / "leitbild.txt", GUIDELINE)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=path)
    assert error_of(failure) == "Abschnitt 2: Die Nummer ist doppelt."
    assert not GuidelineDocument.objects.exists() and not Statement.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_value_refused_while_writing_the_guideline_rolls_everything_back(
    musterstadt, tmp_path, monkeypatch
):
    def refuse(**_kwargs):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")

    # audit() runs after document, sections and statements were written.
    monkeypatch.setattr("leitwerk.imports.services.guideline.audit", refuse)
    path = write(tmp_path / "leitbild.txt", GUIDELINE)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=musterstadt, path=path)
    assert error_of(failure).startswith("Import abgebrochen, nichts gespeichert: A string literal")
    assert not GuidelineDocument.objects.exists() and not Statement.objects.exists()


# --- plan service -----------------------------------------------------------------------------


def test_a_plan_path_that_cannot_be_read_is_named(musterstadt, tmp_path):
    folder = tmp_path / "aktionsplan.csv"
    folder.mkdir()
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=musterstadt, path=folder)
    assert error_of(failure).startswith("aktionsplan.csv: Datei nicht lesbar (")


def test_a_mapping_file_that_is_not_utf8_is_named(musterstadt, tmp_path):
    plan = write(tmp_path / "plan.csv", PLAN_CSV)
    mapping = tmp_path / "spalten.toml"
    mapping.write_bytes('[columns]\n"Maßnahme" = "title"\n'.encode("latin-1"))
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=musterstadt, path=plan, mapping_path=mapping)
    assert error_of(failure) == "Zuordnungsdatei spalten.toml nicht lesbar (UTF-8-TOML erwartet)."
    assert not ActionPlan.objects.exists()


def test_an_html_table_with_more_rows_than_allowed_is_refused(musterstadt, tmp_path, settings):
    # The HTML reader tolerates some slack while reading; the import applies the exact limit.
    settings.LEITWERK_IMPORT_MAX_ROWS = 2
    rows = "".join(f"<tr><td>{n}</td><td>Vorhaben {n}</td></tr>" for n in range(1, 5))
    path = write(
        tmp_path / "plan.html",
        f"<table><tr><th>Nr.</th><th>Vorhaben</th></tr>{rows}</table>",
    )
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=musterstadt, path=path)
    assert error_of(failure) == "plan.html: mehr als 2 Zeilen; die Datei wird nicht eingelesen."
    assert not ActionPlan.objects.exists()


def test_a_plan_too_deeply_nested_to_build_is_refused(musterstadt, tmp_path, monkeypatch):
    from leitwerk.imports import plan_parser

    def too_deep(*_args, **_kwargs):
        raise RecursionError

    monkeypatch.setattr(plan_parser, "build_plan", too_deep)
    path = write(tmp_path / "plan.csv", PLAN_CSV)
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=musterstadt, path=path)
    assert error_of(failure) == "plan.csv: Inhalt zu tief verschachtelt."


def test_reimport_reports_renamed_fields_and_keeps_what_left_the_file(musterstadt, tmp_path):
    path = write(tmp_path / "plan.csv", PLAN_CSV)
    plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    write(
        path,
        "Nr.;Aktionsfeld;Vorhaben;Zielsetzung\n"
        "1;Aktionsfeld A Digitales Rathaus;Online-Terminvergabe;Kürzere Wartezeiten\n",
    )
    result = plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    warnings = result["warnings"]
    assert "Aktionsfeld A geändert." in warnings
    assert (
        "Vorhaben 2 „Digitale Akte“ steht nicht mehr in der Datei; es wurde beibehalten."
        in warnings
    )
    assert "Aktionsfeld B steht nicht mehr in der Datei; es wurde beibehalten." in warnings
    assert ActionField.objects.get(municipality=musterstadt, code="A").title == "Digitales Rathaus"
    # Nothing is deleted: links to goals and reports of these Vorhaben must survive.
    assert set(Initiative.objects.values_list("title", flat=True)) == {
        "Online-Terminvergabe",
        "Digitale Akte",
        "Stadtbäume pflanzen",
    }


def test_reimport_replaces_changed_ideas_cities_and_resolutions_of_a_vorhaben(
    musterstadt, tmp_path
):
    header = "Nr.;Aktionsfeld;Vorhaben;Teilschritte;Partnerstädte;Hinweise\n"
    path = write(
        tmp_path / "plan.csv",
        header
        + "1;Aktionsfeld A Klima;Stadtbäume;Standorte prüfen;Halle (Saale);jährlich berichten\n",
    )
    plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    write(
        path,
        header + "1;Aktionsfeld A Klima;Stadtbäume;Paten finden;Karlsruhe;halbjährlich berichten\n",
    )
    result = plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    assert any("Vorhaben 1 aktualisiert" in w for w in result["warnings"])
    ini = Initiative.objects.get(municipality=musterstadt)
    # The old rows are gone, not kept beside the new ones.
    assert [i.text for i in ini.ideas.all()] == ["Paten finden"]
    assert [c.name for c in ini.transfer_cities.all()] == ["Karlsruhe"]
    assert [r.text for r in ini.resolutions.all()] == ["halbjährlich berichten"]


def test_reimport_with_other_columns_reports_the_changed_plan(musterstadt, tmp_path):
    path = write(tmp_path / "plan.csv", PLAN_CSV)
    plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    write(path, PLAN_CSV.replace("Zielsetzung", "Ziel"))
    result = plan_import(municipality=musterstadt, path=path, title="Aktionsplan Test")
    assert "Aktionsplan: Beschreibung oder Spalten geändert." in result["warnings"]
    plan = ActionPlan.objects.get(municipality=musterstadt)
    assert [c["header"] for c in plan.source_columns][-1] == "Ziel"


def test_guideline_reimport_without_a_section_removes_it_and_says_so(musterstadt, tmp_path):
    path = write(tmp_path / "leitbild.txt", GUIDELINE)
    guideline_import(municipality=musterstadt, path=path)
    write(path, GUIDELINE.split("2. Verantwortung")[0])
    result = guideline_import(municipality=musterstadt, path=path)
    assert "Abschnitt „2 Verantwortung“ entfernt." in result["warnings"]
    assert not Statement.objects.filter(
        municipality=musterstadt, text__contains="öffentlichem Geld"
    ).exists()


# --- plan export ------------------------------------------------------------------------------


def test_export_of_a_plan_created_in_the_app_uses_the_standard_columns(musterstadt):
    # No import, so no source columns: the export falls back to the standard headers and
    # adds a column for every extra field the Vorhaben carry.
    plan = ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Klima")
    field = ActionFieldFactory(
        municipality=musterstadt, plan=plan, code="A", label="Aktionsfeld", title="Energie"
    )
    InitiativeFactory(
        municipality=musterstadt,
        action_field=field,
        number="1",
        title="Solardächer",
        period_text="2026–2027",
        extra={"Kosten": "10.000 €"},
        order=0,
    )
    header, row = parse_csv(plan_export(municipality=musterstadt, fmt="csv"))
    assert header[:3] == ["Nr.", "Aktionsfeld", "Arbeitstitel des Vorhabens"]
    assert header[-1] == "Kosten" and "Zeitraum" in header
    cell = dict(zip(header, row, strict=True))
    assert cell["Aktionsfeld"] == "Aktionsfeld A Energie"
    assert cell["Arbeitstitel des Vorhabens"] == "Solardächer"
    assert cell["Zeitraum"] == "2026–2027" and cell["Kosten"] == "10.000 €"


def test_export_restores_the_columns_needed_to_import_the_plan_again(
    musterstadt, other_town, tmp_path
):
    # Imported from a table with only titles and two date columns; numbers and a second field
    # were added in the app afterwards, and an older version stored a "status" column.
    plan = ActionPlanFactory(
        municipality=musterstadt,
        title="Aktionsplan Mobilität",
        source_columns=[
            {"header": "Vorhaben", "field": "title"},
            {"header": "Beginn", "field": "period"},
            {"header": "Ende", "field": "period"},
            {"header": "Ampel", "field": "status"},
        ],
    )
    for order, (code, number, title) in enumerate(
        [("A", "4", "Radwege ausbauen"), ("B", "9", "Busspur einrichten")]
    ):
        field = ActionFieldFactory(
            municipality=musterstadt, plan=plan, code=code, label="Aktionsfeld", title=title
        )
        InitiativeFactory(
            municipality=musterstadt,
            action_field=field,
            number=number,
            title=title,
            period_text="ab 2026",
            order=order,
        )
    data = plan_export(municipality=musterstadt, plan_id=plan.pk, fmt="csv")
    header, *rows = parse_csv(data)
    assert header == ["Nr.", "Aktionsfeld", "Vorhaben", "Beginn", "Ende", "Ampel"]
    assert rows[0] == ["4", "Aktionsfeld A Radwege ausbauen", "Radwege ausbauen", "ab 2026", "", ""]
    assert rows[1][:2] == ["9", "Aktionsfeld B Busspur einrichten"]

    exported = tmp_path / "mobilitaet.csv"
    exported.write_bytes(data)
    again = plan_import(municipality=other_town, path=exported, dry_run=True)["plan"]
    assert [f["code"] for f in again["action_fields"]] == ["A", "B"]
    numbers = [i["number"] for f in again["action_fields"] for i in f["initiatives"]]
    assert numbers == ["4", "9"]


def test_export_picks_the_newest_plan_when_none_was_imported(musterstadt):
    ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2020")
    ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2025")
    exported = json.loads(plan_export(municipality=musterstadt, fmt="json"))
    assert exported["title"] == "Aktionsplan 2025"


def test_export_falls_back_to_the_newest_plan_when_the_imported_one_is_gone(musterstadt):
    ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2025")
    ImportRunFactory(
        municipality=musterstadt, kind="plan", status="done", dry_run=False, result={"plan_id": 0}
    )
    exported = json.loads(plan_export(municipality=musterstadt, fmt="json"))
    assert exported["title"] == "Aktionsplan 2025"


def test_export_of_an_unknown_format_is_refused(musterstadt):
    ActionPlanFactory(municipality=musterstadt)
    with pytest.raises(ImportFailed) as failure:
        plan_export(municipality=musterstadt, fmt="pdf")
    assert error_of(failure) == "Unbekanntes Exportformat „pdf“ (json, xlsx, ods, csv)."


# --- leitwerk export --------------------------------------------------------------------------


def test_cli_exports_a_plan_by_number_into_a_file(musterstadt, tmp_path, capsys):
    ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2020")
    wanted = ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Radverkehr")
    target = tmp_path / "export.json"
    call_command(
        "export",
        "plan",
        "--municipality",
        "musterstadt",
        "--plan",
        str(wanted.pk),
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Aktionsplan Radverkehr"
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "--municipality", "nirgendwo", "--format", "csv"],
            "Kommune „nirgendwo“ gibt es nicht.",
        ),
        (
            ["plan", "--municipality", "musterstadt", "--format", "csv"],
            "Diese Kommune hat noch keinen Aktionsplan.",
        ),
        (
            ["plan", "--municipality", "musterstadt", "--plan", "999999", "--format", "csv"],
            "Aktionsplan 999999 gibt es in dieser Kommune nicht.",
        ),
        (
            ["guideline", "--municipality", "musterstadt"],
            "Es gibt kein Leitbild-Dokument für diese Kommune.",
        ),
        (
            ["guideline", "--municipality", "musterstadt", "--guideline", "999999"],
            "Es gibt kein Leitbild-Dokument mit der Nummer 999999.",
        ),
    ],
)
def test_cli_export_refusals_are_german(musterstadt, tmp_path, args, message):
    target = tmp_path / "export.out"
    with pytest.raises(CommandError) as failure:
        call_command("export", *args, "-o", str(target))
    assert str(failure.value) == message
    assert not target.exists()


def test_cli_export_does_not_reach_into_another_municipality(musterstadt, other_town):
    foreign = ActionPlanFactory(municipality=other_town)
    with pytest.raises(CommandError, match=f"Aktionsplan {foreign.pk} gibt es in dieser"):
        call_command(
            "export",
            "plan",
            "--municipality",
            "musterstadt",
            "--plan",
            str(foreign.pk),
            "--format",
            "json",
        )


# --- leitwerk import --------------------------------------------------------------------------


def test_cli_prints_counts_and_hints_for_a_dry_run(musterstadt, tmp_path, capsys):
    path = write(tmp_path / "radverkehr.csv", PLAN_CSV)
    call_command("import", "plan", str(path), "--municipality", "musterstadt", "--dry-run")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Probelauf: action_fields: 2, initiatives: 3, milestones: 0, indicators: 0, "
        "transfer_cities: 0; Abdeckung 1.000"
    )
    assert any(line.startswith("Hinweis: ") and "keinen Titel" in line for line in lines[1:])
    assert not ActionPlan.objects.exists()
    call_command(
        "import", "plan", str(path), "--municipality", "musterstadt", "--title", "Radverkehr"
    )
    assert ActionPlan.objects.get().title == "Radverkehr"


def test_cli_names_furniture_with_its_place(musterstadt, tmp_path, capsys):
    path = write(tmp_path / "plan.csv", "Aktionsplan Rad\n\n" + PLAN_CSV + "Summe;;;\n")
    call_command("import", "plan", str(path), "--municipality", "musterstadt", "--dry-run")
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Beiwerk (Summenzeile), Zeile ") for line in lines)


def test_cli_reports_a_real_import_as_imported(musterstadt, tmp_path, capsys):
    path = write(tmp_path / "leitbild.txt", GUIDELINE)
    call_command("import", "guideline", str(path), "--municipality", "musterstadt")
    out = capsys.readouterr().out
    assert out.startswith("Importiert: sections: 2, statements: 3; Abdeckung ")
    assert GuidelineDocument.objects.filter(municipality=musterstadt).count() == 1


@pytest.mark.parametrize(
    ("municipality", "file_name", "message"),
    [
        ("nirgendwo", "plan.csv", "Fehler: Kommune „nirgendwo“ gibt es nicht."),
        ("musterstadt", "fehlt.csv", "Fehler: Datei {tmp}/fehlt.csv nicht gefunden."),
    ],
)
def test_cli_refusals_without_json_go_to_stderr_with_exit_code_2(
    musterstadt, tmp_path, capsys, municipality, file_name, message
):
    write(tmp_path / "plan.csv", PLAN_CSV)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "plan", str(tmp_path / file_name), "--municipality", municipality)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == message.format(tmp=tmp_path)
    assert captured.out == ""
    assert not ActionPlan.objects.exists()


def test_cli_names_row_and_column_of_a_refused_cell(musterstadt, tmp_path, capsys):
    path = write(tmp_path / "lang.csv", "Nr.;Vorhaben\n1;" + "x" * 600 + "\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "plan", str(path), "--municipality", "musterstadt")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler (Zeile 2, Spalte Vorhaben): lang.csv, Zeile 2")
    assert not ActionPlan.objects.exists()


def test_cli_json_refusal_for_an_unknown_municipality(musterstadt, tmp_path, capsys):
    path = write(tmp_path / "plan.csv", PLAN_CSV)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "plan", str(path), "--municipality", "nirgendwo", "--json")
    assert exit_.value.code == 2
    assert json.loads(capsys.readouterr().out) == {
        "ok": False,
        "errors": [{"message": "Kommune „nirgendwo“ gibt es nicht.", "row": None, "column": None}],
    }


def test_a_usage_error_on_the_command_line_prints_usage_and_exits_2(tmp_path, capsys):
    command = load_command_class("leitwerk.imports", "import")
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["leitwerk", "import", "plan", str(tmp_path / "plan.csv")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ")
    assert err.rstrip().endswith("Fehler: Diese Angaben fehlen: --municipality.")


def test_an_unforeseen_usage_error_is_still_german(tmp_path):
    path = write(tmp_path / "plan.csv", PLAN_CSV)
    with pytest.raises(CommandError) as failure:
        call_command("import", "plan", str(path), "--municipality", "x", "--dry-run=ja")
    message = str(failure.value)
    assert message.startswith("Fehler: Der Aufruf ist fehlerhaft (")
    assert "--dry-run" in message


# --- gazetteer --------------------------------------------------------------------------------


def test_resolve_tokens_splits_a_run_of_words_into_known_and_unknown_places():
    out = gazetteer.resolve_tokens("Frankfurt am Main Schilda Bonn")
    assert [(name, known) for name, _ags, known in out] == [
        ("Frankfurt am Main", True),
        ("Schilda", False),
        ("Bonn", True),
    ]
    assert out[1][1] == "" and out[0][1] and out[2][1]


def test_empty_list_entries_between_separators_are_skipped():
    names = [name for name, _ags, _known in gazetteer.resolve_list("Bonn, – ; Köln")]
    assert names == ["Bonn", "Köln"]
