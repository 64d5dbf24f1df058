"""The pure part: headers, action-field cells, list cells. No database."""

from __future__ import annotations

import re

import pytest

from leitwerk.imports import plan_parser as pp
from leitwerk.imports.services.common import ImportFailed


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nr.", "number"),
        ("Lfd. Nr.", "number"),
        ("Aktionsfeld", "action_field"),
        ("HANDLUNGSFELD", "action_field"),
        ("Arbeitstitel des Vorhabens", "title"),
        ("Maßnahme", "title"),
        ("Massnahme", "title"),
        ("Übergeordnete Zielsetzung", "objective"),
        ("Ziel", "objective"),
        ("Optionale Umsetzungsideen", "ideas"),
        ("Teilschritte", "ideas"),
        ("Meilensteine / Erfolgsfaktoren", "milestones"),
        ("Meilenstiene", "milestones"),
        ("Indikatoren der Zielerreichung", "indicators"),
        ("Federführung", "responsible"),
        ("verantwortlich:", "responsible"),
        ("Zeitraum", "period"),
        ("Beginn", "period"),
        ("Möglicher Erfahrungstransfer aus Städtetzwerk", "transfer_cities"),
        ("Partnerstädte", "transfer_cities"),
        ("Transferkommunen", "transfer_cities"),
        (
            "Projektübergreifende Vorsätze für die weitere Aktivierung des Aktionsplans",
            "resolutions",
        ),
        ("Hinweise", "resolutions"),
    ],
)
def test_headers_are_recognised(header, field):
    assert pp.score_header(header)[0] == field


@pytest.mark.parametrize("header", ["Budget", "Bemerkung der Kämmerei", "", "???"])
def test_unknown_headers(header):
    assert pp.score_header(header)[0] is None


def test_mapping_file_assigns_own_headers():
    mapping = pp.load_mapping('[columns]\n"Meine Spalte" = "milestones"\n', "m.toml")
    cols = pp.map_columns(["Nr.", "Vorhaben", "Meine Spalte", "Kosten"], mapping)
    assert [c.field for c in cols] == ["number", "title", "milestones", "extra"]


def test_mapping_file_refuses_unknown_targets():
    with pytest.raises(ImportFailed) as exc:
        pp.load_mapping('[columns]\n"X" = "budget"\n', "m.toml")
    assert "budget" in exc.value.errors[0].message
    with pytest.raises(ImportFailed):
        pp.load_mapping("[columns\n", "m.toml")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Aktionsfeld A Umgang mit Zivilgesellschaft",
            ("Aktionsfeld", "A", "Umgang mit Zivilgesellschaft"),
        ),
        ("Handlungsfeld 2: Mobilität", ("Handlungsfeld", "2", "Mobilität")),
        ("A) Klima", ("", "A", "Klima")),
        ("B Bildung und Kultur", ("", "B", "Bildung und Kultur")),
        ("Digitalisierung", ("", "", "Digitalisierung")),
    ],
)
def test_action_field_cells(cell, expected):
    assert pp.parse_action_field(cell) == expected


def test_html_list_cells():
    items, review = pp.cell_items("<ul><li>Eins</li><li>Zwei <b>fett</b></li></ul><p>Drei</p>")
    assert items == ["Eins", "Zwei fett", "Drei"]
    assert review is False
    items, _ = pp.cell_items("• a\n- b\n– c<br>d")
    assert items == ["a", "b", "c", "d"]


def test_markup_that_is_no_list_is_kept_as_text_for_escaping_on_output():
    """I2: the importer dropped whatever looked like a tag; now only list and formatting
    markup of HTML exports is taken apart, the rest is the author's text (pages escape it)."""
    items, _ = pp.cell_items("<p>gut</p><script>alert(1)</script><img src=x onerror=alert(1)>")
    assert items == ["gut", "<script>alert(1)</script><img src=x onerror=alert(1)>"]


def test_lost_list_markup_is_split_and_marked_without_losing_words():
    cell = (
        '<ul style="list-style-type: none"> Initiativen vernetzen und gemeinsame Ziele '
        "herausstellen Konstruktiven und kooperativen Umgang etablieren: Spiegelbilder erstellen: "
        "Verhält sich die eigene Gruppe immer korrekt? Teilvorhaben 1: AG Öffentlicher Raum "
        "(Im Dialog Perspektivwechsel erzwingen) Teilvorhaben 2: positive Entwicklungen "
        "hervorheben (siehe Erfolgskommunikation) "
    )
    items, review = pp.cell_items(cell)
    assert review is True
    assert items[0] == "Initiativen vernetzen und gemeinsame Ziele herausstellen"
    assert items[2].startswith("Teilvorhaben 1:")
    assert items[3].startswith("Teilvorhaben 2:")
    assert len(items) == 4
    source = re.sub(r"<[^>]+>", " ", cell).split()
    assert " ".join(items).split() == source


def test_noun_phrases_are_not_split():
    items, _ = pp.cell_items(
        "<ul> Geringeres Maß an Kritik von externen Akteuren (mehr Verständnis) Differenzen "
        "innerhalb der Verwaltung werden nicht öffentlich debattiert "
    )
    assert items == [
        "Geringeres Maß an Kritik von externen Akteuren (mehr Verständnis)",
        "Differenzen innerhalb der Verwaltung werden nicht öffentlich debattiert",
    ]


def test_formula_neutralisation_is_undone():
    assert pp.unformula("'=SUMME(A1)") == "=SUMME(A1)"
    assert pp.unformula("'Zitat") == "'Zitat"


def test_build_plan_continues_blank_action_fields_and_keeps_extra():
    rows = [
        ["Nr.", "Aktionsfeld", "Vorhaben", "Meilensteine", "Kosten", ""],
        ["1", "Handlungsfeld 1: Klima", "Bäume pflanzen", "100 Bäume\n200 Bäume", "5000 €", ""],
        ["2", "", "Radwege", "", "", "Notiz"],
        ["3", "Mobilität", "Busse", "", "", ""],
    ]
    parsed = pp.build_plan(rows, [1, 2, 3, 4], filename="plan.csv")
    fields = parsed.plan["action_fields"]
    assert [(f["code"], f["title"]) for f in fields] == [("1", "Klima"), ("A", "Mobilität")]
    first = fields[0]["initiatives"][0]
    assert first["milestones"] == ["100 Bäume", "200 Bäume"]
    assert first["extra"] == {"Kosten": "5000 €"}
    assert fields[0]["initiatives"][1]["extra"] == {"Spalte 6": "Notiz"}
    assert pp.coverage(parsed.source_words, parsed.plan) == 1.0
    assert parsed.plan["title"] == "" and parsed.title_missing


def test_build_plan_without_header_fails_in_german():
    with pytest.raises(ImportFailed) as exc:
        pp.build_plan([["a", "b"], ["c", "d"]], [1, 2], filename="x.csv")
    assert "keine Tabellenkopfzeile" in exc.value.errors[0].message
    assert "x.csv" in exc.value.errors[0].message


def test_generated_codes_do_not_collide_with_named_ones():
    rows = [
        ["Aktionsfeld", "Vorhaben"],
        ["Allgemeines", "Eins"],
        ["Aktionsfeld A Klima", "Zwei"],
    ]
    parsed = pp.build_plan(rows, [1, 2, 3], filename="p.csv")
    assert [(f["code"], f["title"]) for f in parsed.plan["action_fields"]] == [
        ("B", "Allgemeines"),
        ("A", "Klima"),
    ]


def test_text_that_looks_like_a_tag_is_kept_and_comparisons_stay_text():
    """I2: `Ziel <Pflicht>` became "Ziel"."""
    assert pp.cell_items("Ziel <Pflicht>")[0] == ["Ziel <Pflicht>"]
    assert pp.cell_items("<script>alert(1)</script>Text")[0] == ["<script>alert(1)</script>Text"]
    assert pp.cell_items("Kosten < 5000 € und Ziel <3")[0] == ["Kosten < 5000 € und Ziel <3"]
    # Formatting of an HTML export goes, its text stays; comments go entirely.
    assert pp.cell_items("<b>fett</b> und <span class=x>so</span><!-- x -->")[0] == ["fett und so"]


def test_example_mapping_file_is_valid():
    from pathlib import Path

    path = Path(pp.__file__).parent / "data" / "plan_mapping.example.toml"
    mapping = pp.load_mapping(path.read_text(encoding="utf-8"), path.name)
    assert mapping["meine spalte"] == "milestones"
    assert mapping["interne notiz"] == "ignore"
