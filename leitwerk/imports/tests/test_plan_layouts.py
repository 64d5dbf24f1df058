"""Plans in the layouts municipalities have: every sheet read, every word accounted for,
the structure right, and export → import giving the same plan again (issue 26)."""

from __future__ import annotations

import pytest

from leitwerk.imports.services import ImportFailed, plan_export, plan_import
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionPlan, Initiative, Resolution

from . import layouts


@pytest.fixture
def town(db):
    return Municipality.objects.create(name="Lindenau", slug="lindenau")


@pytest.fixture
def other(db):
    return Municipality.objects.create(name="Spiegelstadt", slug="spiegelstadt")


def write(tmp_path, key):
    name, data = layouts.FIXTURES[key]()
    path = tmp_path / name
    path.write_bytes(data)
    return path, name, data


def without_id(plan: dict) -> dict:
    return {k: v for k, v in plan.items() if k != "id"}


@pytest.mark.parametrize("key", sorted(layouts.FIXTURES))
def test_no_fixture_loses_a_word_silently(town, tmp_path, key):
    """placed + not assigned + furniture = every word of every non-empty cell of the file."""
    path, name, data = write(tmp_path, key)
    result = plan_import(municipality=town, path=path, dry_run=True)
    ledger = result["ledger"]
    assert sum(ledger.values()) == layouts.source_words(name, data)
    # What counts as placed is really in the structure; the rest is listed with its place.
    assert result["coverage"] == 1.0
    listed = sum(len(layouts.WORD_RE.findall(p["text"])) for p in result["pieces"])
    assert listed == ledger["unrecognised"] + ledger["furniture"]
    assert all(p["where"] for p in result["pieces"])


def test_every_sheet_is_read_after_a_cover_sheet_with_totals_and_footnotes_as_furniture(
    town, tmp_path
):
    path, _name, _data = write(tmp_path, "multi_sheet")
    result = plan_import(municipality=town, path=path, dry_run=True)
    plan = result["plan"]
    # The cover sheet names the plan; its photo credit is furniture, not description.
    assert plan["title"] == "Aktionsplan Klimafreundliches Lindenau 2030"
    assert plan["description"] == "Beschlossen vom Stadtrat am 12. März 2025"
    assert result["needs_title"] is False
    # One sheet per Aktionsfeld: both read, named after their sheets.
    assert [(f["code"], f["title"]) for f in plan["action_fields"]] == [
        ("A", "Klima"),
        ("B", "Mobilität"),
    ]
    assert result["counts"]["initiatives"] == 4
    last_a = plan["action_fields"][0]["initiatives"][-1]
    # The totals row and the footnote are not merged into the last Vorhaben.
    assert last_a["extra"] == {"Kosten (€)": "60.000"}
    assert last_a["milestones"] == ["Förderprogramm beschlossen"]
    reasons = {(p["reason"], p["where"]) for p in result["pieces"]}
    assert ("Summenzeile", "Blatt „Aktionsfeld A Klima“, Zeile 4, Spalte A") in reasons
    assert ("Fußnote", "Blatt „Aktionsfeld A Klima“, Zeile 5, Spalte A") in reasons
    assert ("Bildnachweis", "Blatt „Deckblatt“, Zeile 4, Spalte A") in reasons
    assert ("wiederholter Tabellenkopf", "Blatt „Aktionsfeld B Mobilität“, Zeile 1") in reasons


def test_two_header_rows_under_a_title_block_are_combined_and_merged_cells_expanded(town, tmp_path):
    path, _name, _data = write(tmp_path, "title_block")
    result = plan_import(municipality=town, path=path, dry_run=True)
    plan = result["plan"]
    assert plan["title"] == "Aktionsplan Soziale Stadt Birkenfeld"
    assert [(c["header"], c["field"]) for c in plan["columns"]][3:7] == [
        ("Planung – Ziel", "objective"),
        ("Planung – Maßnahmen", "ideas"),
        ("Umsetzung – Zeitraum", "period"),
        ("Umsetzung – Verantwortlich", "responsible"),
    ]
    first, second = plan["action_fields"][0]["initiatives"]
    assert first["objective"] == "Begegnung im Quartier"
    assert first["ideas"] == ["Räume anmieten", "Ehrenamt gewinnen"]
    # The responsibility merged over both Vorhaben holds for both; the Aktionsfeld too.
    assert second["responsible"] == ["Sozialamt"]
    assert [len(f["initiatives"]) for f in plan["action_fields"]] == [2, 1]
    # The hidden column is read and reported; the notes sheet is listed as not assigned.
    assert first["extra"] == {"Interne Notiz": "Mietvertrag prüfen"}
    assert any("ausgeblendet" in w and "Spalte H" in w for w in result["warnings"])
    assert plan["unrecognised"] == ["Abstimmung mit dem Quartiersbeirat steht noch aus"]
    assert result["pieces"][0]["where"] == "Blatt „Notizen“, Zeile 1, Spalte A"


def test_numbered_action_fields_of_an_ods_plan_keep_their_numbers(town, tmp_path):
    path, _name, _data = write(tmp_path, "numbered_ods")
    plan = plan_import(municipality=town, path=path, dry_run=True)["plan"]
    assert [(f["code"], f["title"]) for f in plan["action_fields"]] == [
        ("1", "Wasser"),
        ("2", "Wärme"),
    ]
    first = plan["action_fields"][0]["initiatives"][0]
    assert first["ideas"] == ["Teilvorhaben 1: Beratung", "Teilvorhaben 2: Zuschuss"]


def test_a_csv_with_a_totals_row_and_a_source_note(town, tmp_path):
    path, _name, _data = write(tmp_path, "csv")
    result = plan_import(municipality=town, path=path, dry_run=True)
    inits = result["plan"]["action_fields"][0]["initiatives"]
    assert [i["title"] for i in inits] == ["Online-Termine", "E-Akte einführen"]
    assert inits[-1]["extra"] == {"Kosten": "80.000 €"}
    assert [p["reason"] for p in result["pieces"]] == ["Summenzeile", "Summenzeile", "Fußnote"]


ROUND_TRIPS = [(key, fmt) for key in sorted(layouts.FIXTURES) for fmt in ("xlsx", "ods", "csv")]


@pytest.mark.parametrize(("key", "fmt"), ROUND_TRIPS)
def test_export_then_import_gives_the_same_plan(town, other, tmp_path, key, fmt):
    path, _name, _data = write(tmp_path, key)
    first = plan_import(municipality=town, path=path)["plan"]
    exported = tmp_path / f"export.{fmt}"
    exported.write_bytes(plan_export(municipality=town, fmt=fmt))
    again = plan_import(municipality=other, path=exported)
    assert without_id(again["plan"]) == without_id(first)
    # Into the same municipality: recognised as the same plan, nothing changes.
    stamps = list(Initiative.objects.filter(municipality=town).values_list("id", "updated_at"))
    same = plan_import(municipality=town, path=exported)
    assert any("Keine Änderungen" in w for w in same["warnings"])
    assert list(Initiative.objects.filter(municipality=town).values_list("id", "updated_at")) == (
        stamps
    )
    assert ActionPlan.objects.filter(municipality=town).count() == 1


def test_a_plan_without_a_title_is_imported_under_the_title_given(town, tmp_path):
    path = tmp_path / "ohne-titel.csv"
    path.write_text("Nr.;Vorhaben\n1;Spielplatz sanieren\n", encoding="utf-8")
    preview = plan_import(municipality=town, path=path, dry_run=True)
    assert preview["needs_title"] is True
    plan = plan_import(municipality=town, path=path, title="  Spielplatzprogramm  ")["plan"]
    assert plan["title"] == "Spielplatzprogramm"


def test_cross_project_vorsaetze_go_on_the_plan_and_survive_reimport(town, other, tmp_path):
    path = tmp_path / "vorsaetze.csv"
    path.write_text(
        "Aktionsplan Ehrenamt\n\nNr.;Vorhaben;Projektübergreifende Vorsätze\n"
        '1;Ehrenamtsbörse;"Jährlich berichten\nErfolge feiern"\n2;Ehrenamtskarte;\n',
        encoding="utf-8",
    )
    result = plan_import(municipality=town, path=path)
    plan = result["plan"]
    assert plan["resolutions"] == ["Jährlich berichten", "Erfolge feiern"]
    assert all(not i["resolutions"] for i in plan["action_fields"][0]["initiatives"])
    stored = Resolution.objects.filter(municipality=town, initiative=None)
    assert list(stored.order_by("order").values_list("text", flat=True)) == plan["resolutions"]
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(plan_export(municipality=town, fmt="xlsx"))
    assert without_id(plan_import(municipality=other, path=exported)["plan"]) == without_id(plan)
    # Changed in the file: replaced on the plan, and reported.
    path.write_text(
        "Aktionsplan Ehrenamt\n\nNr.;Vorhaben;Projektübergreifende Vorsätze\n"
        "1;Ehrenamtsbörse;Erfolge feiern\n2;Ehrenamtskarte;\n",
        encoding="utf-8",
    )
    again = plan_import(municipality=town, path=path)
    assert again["plan"]["resolutions"] == ["Erfolge feiern"]
    assert any("Vorsätze für den ganzen Plan" in w for w in again["warnings"])


def test_vorsaetze_the_same_in_every_row_belong_to_the_plan(town, tmp_path):
    path = tmp_path / "gleich.csv"
    path.write_text(
        "Aktionsplan Sport\n\nNr.;Vorhaben;Vorsätze\n1;Sporthalle;Barrierefrei planen\n"
        "2;Sportplatz;Barrierefrei planen\n",
        encoding="utf-8",
    )
    plan = plan_import(municipality=town, path=path)["plan"]
    assert plan["resolutions"] == ["Barrierefrei planen"]
    exported = tmp_path / "export.csv"
    exported.write_bytes(plan_export(municipality=town, fmt="csv"))
    assert without_id(plan_import(municipality=town, path=exported)["plan"]) == without_id(plan)


# --- the less common layouts, one by one --------------------------------------------------


def test_a_group_row_without_merged_cells_spans_the_empty_cells_to_its_right(town, tmp_path):
    path = tmp_path / "gruppen.csv"
    path.write_text(
        "Aktionsplan Grün\n\nNr.;Vorhaben;Planung;;Umsetzung;\n"
        ';;Ziel;Maßnahmen;Zeitraum;\n1;Parks pflegen;Saubere Parks;"Mähen\nGießen";2025;\n',
        encoding="utf-8",
    )
    plan = plan_import(municipality=town, path=path, dry_run=True)["plan"]
    assert [c["header"] for c in plan["columns"]][:5] == [
        "Nr.",
        "Vorhaben",
        "Planung – Ziel",
        "Planung – Maßnahmen",
        "Umsetzung – Zeitraum",
    ]
    first = plan["action_fields"][0]["initiatives"][0]
    assert first["objective"] == "Saubere Parks" and first["period"] == "2025"


def test_a_later_sheet_may_repeat_the_title_and_name_its_own_aktionsfeld():
    from leitwerk.imports.plan_parser import Sheet, build_plan

    header = ["Nr.", "Vorhaben"]
    sheets = [
        Sheet("Tabelle1", [["Aktionsplan Energie"], header, ["1", "Solardächer"]], [1, 2, 3]),
        Sheet(
            "Tabelle2",
            [
                ["Aktionsplan Energie"],
                ["Aktionsfeld C: Wärme"],
                ["Entwurf"],
                header,
                ["2", "Fernwärme"],
            ],
            [1, 2, 3, 4, 5],
            # A merge reaching past the row's cells, and one outside the sheet: harmless.
            merges=[(2, 0, 2, 3), (40, 0, 41, 1)],
            hidden=True,
        ),
    ]
    parsed = build_plan([], [], filename="energie.xlsx", sheets=sheets)
    fields = parsed.plan["action_fields"]
    assert [(f["code"], f["label"], f["title"]) for f in fields][1] == ("C", "Aktionsfeld", "Wärme")
    assert fields[1]["initiatives"][0]["title"] == "Fernwärme"
    reasons = {p["text"]: p["reason"] for p in parsed.pieces}
    assert reasons["Aktionsplan Energie"] == "wiederholter Titel"
    assert reasons["Entwurf"] == "Text über der Tabelle"
    assert parsed.plan["unrecognised"] == ["Entwurf"]
    assert any("Tabelle2“ ist in der Datei ausgeblendet" in w for w in parsed.warnings)


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def test_ods_merged_cells_and_hidden_columns_are_read(town, tmp_path):
    import zipfile

    def cell(text, attrs=""):
        return f"<table:table-cell {attrs}><text:p>{text}</text:p></table:table-cell>"

    covered = "<table:covered-table-cell/>"
    rows = [
        cell("Aktionsfeld") + cell("Vorhaben") + cell("Verantwortlich") + cell("Notiz"),
        cell("Aktionsfeld A Wasser", 'table:number-rows-spanned="2"')
        + cell("Brunnen bauen")
        + cell("Tiefbauamt", 'table:number-rows-spanned="2"')
        + cell("intern"),
        covered + cell("Bäche renaturieren") + covered,
    ]
    body = (
        '<table:table table:name="Plan">'
        '<table:table-column table:number-columns-repeated="3"/>'
        '<table:table-column table:visibility="collapse"/>'
        + "".join(f"<table:table-row>{r}</table:table-row>" for r in rows)
        + "</table:table>"
    )
    content = (
        f"<office:document-content {ODS_NS}><office:body><office:spreadsheet>"
        f"{body}</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "wasser.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    result = plan_import(municipality=town, path=path, dry_run=True, title="Wasserplan")
    inits = result["plan"]["action_fields"][0]["initiatives"]
    assert [i["responsible"] for i in inits] == [["Tiefbauamt"], ["Tiefbauamt"]]
    assert len(result["plan"]["action_fields"]) == 1
    assert any("Spalte D" in w and "ausgeblendet" in w for w in result["warnings"])
    assert result["ledger"]["placed"] == 13


def test_plan_wide_vorsaetze_entered_in_the_app_get_a_column_in_the_export(town):
    from leitwerk.plans.tests.factories import (
        ActionFieldFactory,
        ActionPlanFactory,
        InitiativeFactory,
        ResolutionFactory,
    )

    plan = ActionPlanFactory(
        municipality=town,
        title="Aktionsplan Kultur",
        source_columns=[{"header": "Vorhaben", "field": "title"}],
    )
    field = ActionFieldFactory(municipality=town, plan=plan, code="A", label="", title="")
    InitiativeFactory(municipality=town, action_field=field, number="1", title="Museum", order=0)
    ResolutionFactory(municipality=town, plan=plan, initiative=None, text="Barrierefrei")
    out = plan_export(municipality=town, plan_id=plan.pk, fmt="csv").decode("utf-8-sig")
    assert "Projektübergreifende Vorsätze" in out and "Barrierefrei" in out


def test_moves_that_no_longer_fit_the_file_are_refused(town, tmp_path):
    path, _name, _data = write(tmp_path, "csv")
    for move in ({"piece": 99, "to": "plan"}, {"piece": 0, "to": [5, 0]}):
        with pytest.raises(ImportFailed) as failure:
            plan_import(municipality=town, path=path, dry_run=True, piece_moves=[move])
        assert "passt nicht mehr zur Datei" in str(failure.value)
    moved = plan_import(
        municipality=town,
        path=path,
        dry_run=True,
        piece_moves=[{"piece": 2, "to": [0, 1]}],
    )
    assert moved["plan"]["action_fields"][0]["initiatives"][1]["objective"] == (
        "Quelle: Haushaltsplan 2025"
    )
    assert moved["ledger"]["furniture"] == 3 and moved["coverage"] == 1.0


def test_an_html_table_with_colspan_groups_over_its_columns(town, tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><body><h1>Aktionsplan Bildung</h1><table>"
        '<tr><th rowspan="2">Nr.</th><th rowspan="2">Vorhaben</th>'
        '<th colspan="2">Planung</th><th colspan="2">Umsetzung</th></tr>'
        "<tr><th>Ziel</th><th>Maßnahmen</th><th>Zeitraum</th><th>Verantwortlich</th></tr>"
        "<tr><td>1</td><td>Schulhof öffnen</td><td>Mehr Spielraum</td>"
        "<td><ul><li>Schlüssel regeln</li><li>Aufsicht klären</li></ul></td>"
        "<td>2026</td><td>Schulamt</td></tr></table></body></html>",
        encoding="utf-8",
    )
    plan = plan_import(municipality=town, path=path, dry_run=True)["plan"]
    assert [c["header"] for c in plan["columns"]] == [
        "Nr.",
        "Vorhaben",
        "Planung – Ziel",
        "Planung – Maßnahmen",
        "Umsetzung – Zeitraum",
        "Umsetzung – Verantwortlich",
    ]
    item = plan["action_fields"][0]["initiatives"][0]
    assert item["objective"] == "Mehr Spielraum"
    assert item["ideas"] == ["Schlüssel regeln", "Aufsicht klären"]
    assert item["responsible"] == ["Schulamt"] and item["period"] == "2026"


def test_text_and_tables_after_the_plan_table_of_a_document_are_listed(town, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Aktionsplan Kultur", level=1)
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells, ["Nr.", "Vorhaben"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Museum öffnen"], strict=True):
        cell.text = text
    document.add_paragraph("Stand: Entwurf des Kulturbeirats")
    notes = document.add_table(rows=1, cols=2)
    notes.rows[0].cells[0].text = "Ansprechpartnerin"
    notes.rows[0].cells[1].text = "Frau Beispiel"
    path = tmp_path / "kultur.docx"
    document.save(path)
    result = plan_import(municipality=town, path=path, dry_run=True)
    assert result["plan"]["unrecognised"] == [
        "Stand: Entwurf des Kulturbeirats",
        "Ansprechpartnerin | Frau Beispiel",
    ]
    assert {p["where"] for p in result["pieces"]} == {"nach der Tabelle"}

    page = tmp_path / "kultur.html"
    page.write_text(
        "<h1>Aktionsplan Kultur</h1><table><tr><td>Impressum</td></tr></table>"
        "<table><tr><th>Nr.</th><th>Vorhaben</th></tr><tr><td>1</td><td>Museum</td></tr>"
        "</table><p>Stand: Entwurf</p>",
        encoding="utf-8",
    )
    result = plan_import(municipality=town, path=page, dry_run=True)
    assert result["plan"]["unrecognised"] == ["Stand: Entwurf", "Impressum"]
    assert result["coverage"] == 1.0


def test_a_title_merged_over_two_rows_stays_one_vorhaben():
    from leitwerk.imports.plan_parser import Sheet, build_plan

    rows = [
        ["Vorhaben", "Meilensteine", "Verantwortlich"],
        ["Radweg Nord", "Planung", "Tiefbauamt"],
        ["", "Bau", ""],
    ]
    sheet = Sheet("Plan", rows, [1, 2, 3], merges=[(1, 0, 2, 0), (1, 2, 2, 2), (1, 1, 1, 2)])
    parsed = build_plan([], [], filename="rad.xlsx", sheets=[sheet])
    [item] = parsed.plan["action_fields"][0]["initiatives"]
    assert item["milestones"] == ["Planung", "Bau"]
    assert item["responsible"] == ["Tiefbauamt"]


def test_huge_declared_merges_are_not_expanded_without_end(monkeypatch):
    from leitwerk.imports import plan_parser
    from leitwerk.imports.plan_parser import Sheet, build_plan

    monkeypatch.setattr(plan_parser, "MERGE_BUDGET", 10)
    rows = [["Vorhaben", "Verantwortlich"], ["Radweg", "Tiefbauamt"], ["Busspur", ""]]
    sheet = Sheet("Plan", rows, [1, 2, 3], merges=[(1, 1, 2, 1), (0, 0, 9999, 199)])
    parsed = build_plan([], [], filename="gross.xlsx", sheets=[sheet])
    items = parsed.plan["action_fields"][0]["initiatives"]
    assert [i["responsible"] for i in items] == [["Tiefbauamt"], ["Tiefbauamt"]]


def test_teilvorhaben_keep_their_own_ideas_and_a_reimport_keeps_the_rows(town, tmp_path):
    from leitwerk.plans.models import SubInitiative, SubInitiativeKind

    path, _name, _data = write(tmp_path, "nested")
    plan = plan_import(municipality=town, path=path)["plan"]
    first, second = plan["action_fields"][0]["initiatives"]
    assert list(zip(first["ideas"], first["idea_levels"], strict=True)) == [
        ("Vorab beraten", 0),
        ("Teilvorhaben 1: Förderung", 0),
        ("Richtlinie schreiben", 1),
        ("Antrag vereinfachen", 1),
        ("Teilvorhaben 2: Einbau", 0),
        ("Fachbetriebe finden", 1),
    ]
    assert second["idea_levels"] == [0, 1, 1, 0]
    stored = SubInitiative.objects.filter(municipality=town)
    foerderung = stored.get(text="Teilvorhaben 1: Förderung")
    assert [c.text for c in foerderung.children.order_by("order")] == [
        "Richtlinie schreiben",
        "Antrag vereinfachen",
    ]
    # An idea with items of its own is a Teilvorhaben even without the word.
    assert stored.get(text="Flächen auswählen").kind == SubInitiativeKind.TEILVORHABEN
    assert stored.get(text="Mit Eltern pflanzen").parent is None
    ids = sorted(stored.values_list("id", flat=True))
    again = plan_import(municipality=town, path=path)
    assert any("Keine Änderungen" in w for w in again["warnings"])
    assert sorted(stored.values_list("id", flat=True)) == ids


def test_a_nested_html_list_in_a_cell_keeps_its_levels():
    from leitwerk.imports.plan_parser import nested_items

    items, levels, lost = nested_items(
        "<ul><li>Teilvorhaben A<ul><li>Befragung</li><li>Auswertung</li></ul></li>"
        "<li>Bericht</li></ul>"
    )
    assert items == ["Teilvorhaben A", "Befragung", "Auswertung", "Bericht"]
    assert levels == [0, 1, 1, 0] and lost is False
