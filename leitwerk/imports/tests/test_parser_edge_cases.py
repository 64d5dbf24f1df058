"""Edge cases of the two pure parsers that the format and seed tests do not reach.

Plan tables are fed in as rows of cell strings (what the readers extract); guideline texts as
plain strings. No database, no files.
"""

from __future__ import annotations

import string

import pytest

from leitwerk.imports import guideline_parser as gp
from leitwerk.imports import plan_parser as pp
from leitwerk.imports.services.common import ImportFailed

HEADER = ["Nr.", "Aktionsfeld", "Vorhaben", "Meilensteine", "Zeitraum", "Partnerstädte"]


def build(*rows: list[str]) -> pp.Parsed:
    table = [HEADER, *rows]
    return pp.build_plan(
        table,
        list(range(1, len(table) + 1)),
        filename="plan.csv",
        preamble=["Aktionsplan Teststadt"],
    )


def failure(*rows: list[str]) -> tuple[str, int | None, str | None]:
    with pytest.raises(ImportFailed) as exc:
        build(*rows)
    assert len(exc.value.errors) == 1
    error = exc.value.errors[0]
    return error.message, error.row, error.column


def initiatives(parsed: pp.Parsed) -> list[tuple[str, str, str]]:
    return [
        (f["code"], i["number"], i["title"])
        for f in parsed.plan["action_fields"]
        for i in f["initiatives"]
    ]


# --- plan: mapping files ------------------------------------------------------------------


def test_mapping_file_with_columns_as_a_value_is_refused_in_german():
    with pytest.raises(ImportFailed) as exc:
        pp.load_mapping('columns = "Kosten"\n', "eigene.toml")
    assert exc.value.errors[0].message == (
        "Zuordnungsdatei eigene.toml: [columns] muss eine Tabelle sein."
    )


# --- plan: cells and codes ----------------------------------------------------------------


def test_a_single_word_in_a_list_without_items_stays_one_item_but_is_flagged():
    # Lost <li> tags make every boundary a guess, even when there is nothing to split.
    assert pp.cell_items("<ul> Bürgerdialog </ul>") == (["Bürgerdialog"], True)
    assert pp.propose_items("") == []


def test_codes_continue_after_the_alphabet_is_used_up():
    letters = set(string.ascii_uppercase)
    assert pp.next_code(letters) == "F1"
    assert pp.next_code(letters | {"F1", "F2"}) == "F3"


def test_an_empty_source_counts_as_fully_covered():
    # Nothing was there to lose, so the import must not be reported as lossy.
    assert pp.coverage([], {"title": "", "action_fields": []}) == 1.0


# --- plan: action fields ------------------------------------------------------------------


def test_action_fields_without_code_are_merged_by_title():
    parsed = build(["1", "Mobilität", "Busse", "", "", ""], ["2", "Mobilität", "Bahn", "", "", ""])
    assert [f["title"] for f in parsed.plan["action_fields"]] == ["Mobilität"]
    assert initiatives(parsed) == [("A", "1", "Busse"), ("A", "2", "Bahn")]


def test_a_bare_code_gets_its_title_from_a_later_row():
    parsed = build(
        ["1", "B", "Busse", "", "", ""],
        ["2", "Aktionsfeld B Klima", "Bahn", "", "", ""],
    )
    assert [(f["code"], f["title"]) for f in parsed.plan["action_fields"]] == [("B", "Klima")]
    assert initiatives(parsed) == [("B", "1", "Busse"), ("B", "2", "Bahn")]


def test_too_long_action_field_names_row_and_column():
    message, row, column = failure(["1", "X" * 301, "Busse", "", "", ""])
    assert message == (
        "plan.csv, Zeile 2, Spalte „Aktionsfeld“: Aktionsfeld ist zu lang (höchstens 300 Zeichen)."
    )
    assert (row, column) == (2, "Aktionsfeld")


# --- plan: rows without a title -----------------------------------------------------------


def test_rows_without_title_are_kept_as_unrecognised_or_continuation():
    parsed = build(
        ["", "", "", "Vorab geklärt", "", ""],
        ["1", "Klima", "Bäume pflanzen", "100 Bäume", "", ""],
        ["", "", "", "", "", ""],
        ["", "", "", "200 Bäume", "2025", ""],
        ["", "Aktionsfeld B Neu", "", "", "", ""],
    )
    assert parsed.plan["unrecognised"] == ["Vorab geklärt"]
    first = parsed.plan["action_fields"][0]["initiatives"][0]
    assert first["milestones"] == ["100 Bäume", "200 Bäume"]
    assert first["period"] == "2025"
    # A row naming only an action field opens it, even though no Vorhaben follows yet.
    assert [(f["code"], f["title"]) for f in parsed.plan["action_fields"]] == [
        ("A", "Klima"),
        ("B", "Neu"),
    ]
    assert parsed.warnings == [
        "Zeile 2: Zeile ohne Vorhaben; Inhalt unter „nicht zugeordnet“ abgelegt.",
        "Zeile 5: ohne Arbeitstitel, als Fortsetzung von Vorhaben 1 gelesen.",
    ]


def test_cells_beyond_the_header_are_not_dropped_before_the_first_initiative():
    parsed = build(
        ["", "", "", "", "", "", "Notiz am Rand"],
        ["1", "Klima", "Bäume", "", "", ""],
    )
    assert parsed.plan["unrecognised"] == ["Notiz am Rand"]
    assert initiatives(parsed) == [("A", "1", "Bäume")]


def test_duplicate_numbers_are_warned_about_but_both_kept():
    parsed = build(["1", "Klima", "Bäume", "", "", ""], ["1", "", "Wiesen", "", "", ""])
    assert initiatives(parsed) == [("A", "1", "Bäume"), ("A", "1", "Wiesen")]
    assert parsed.warnings == [
        "Zeile 3: Nummer „1“ kommt mehrfach vor; Vorhaben werden dann über den Titel zugeordnet."
    ]


def test_a_table_with_only_action_fields_has_no_initiatives():
    message, row, column = failure(["", "Klima", "", "", "", ""])
    assert message == (
        "plan.csv: die Tabelle enthält keine Vorhaben (Spalte „Vorhaben“ ist in allen Zeilen leer)."
    )
    assert (row, column) == (None, "Vorhaben")


# --- plan: field limits -------------------------------------------------------------------


def test_too_long_period_names_row_and_column():
    message, row, column = failure(["1", "Klima", "Bäume", "", "2025 " * 61, ""])
    assert message == (
        "plan.csv, Zeile 2, Spalte „Zeitraum“: Zeitraum ist zu lang (höchstens 300 Zeichen)."
    )
    assert (row, column) == (2, "Zeitraum")


def test_too_long_place_name_names_row_and_column():
    message, row, column = failure(["1", "Klima", "Bäume", "", "", "Q" * 201])
    assert message == (
        "plan.csv, Zeile 2, Spalte „Partnerstädte“: Ortsname ist zu lang (höchstens 200 Zeichen)."
    )
    assert (row, column) == (2, "Partnerstädte")


# --- guideline: lists and lead-ins --------------------------------------------------------


def sections(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (s.number, s.title, [(st.kind, st.text) for st in s.statements])
        for s in gp.parse_text(text).sections
    ]


def test_numbered_and_lettered_statements_are_items_not_headings():
    # "1) Wir …" is a sentence in a list; only "1. Bürgernähe" names a section.
    text = (
        "Leitbild Musterstadt\n\n1. Bürgernähe\n\na) Wir hören zu.\nb) Wir helfen schnell.\n\n"
        "2. Offenheit\n\n1) Wir informieren früh.\n2) Wir erklären Entscheidungen.\n"
    )
    assert sections(text) == [
        ("1", "Bürgernähe", [("wir", "Wir hören zu."), ("wir", "Wir helfen schnell.")]),
        (
            "2",
            "Offenheit",
            [("wir", "Wir informieren früh."), ("wir", "Wir erklären Entscheidungen.")],
        ),
    ]


def test_short_lines_after_a_leadin_are_anliegen_and_wrapped_lines_are_joined():
    text = (
        "Leitbild Musterstadt\n\n1. Werte\n\nUns ist wichtig:\n\n"
        "Offenheit gegenüber allen,\nauch Fremden\nRespekt im Umgang\n"
    )
    g = gp.parse_text(text)
    assert g.sections[0].intro == "Uns ist wichtig:"
    assert [(st.kind, st.text) for st in g.sections[0].statements] == [
        ("anliegen", "Offenheit gegenüber allen, auch Fremden"),
        ("anliegen", "Respekt im Umgang"),
    ]


def test_short_lines_after_the_leadin_list_still_belong_to_it():
    # A blank line between the bullets and more items must not end the lead-in.
    text = (
        "Leitbild Musterstadt\n\n1. Werte\n\nUns ist wichtig:\n- Offenheit\n- Respekt\n\n"
        "Vertrauen in die Arbeit der anderen Kollegen\n"
        "Verlässlichkeit bei allen Absprachen im Team\n\n2. Haltung\nWir bleiben freundlich.\n"
    )
    assert sections(text) == [
        (
            "1",
            "Werte",
            [
                ("anliegen", "Offenheit"),
                ("anliegen", "Respekt"),
                ("anliegen", "Vertrauen in die Arbeit der anderen Kollegen"),
                ("anliegen", "Verlässlichkeit bei allen Absprachen im Team"),
            ],
        ),
        ("2", "Haltung", [("wir", "Wir bleiben freundlich.")]),
    ]


def test_a_subtitle_between_title_and_first_section_goes_to_the_preamble():
    g = gp.parse_text(
        "Leitbild Musterstadt\n\nGemeinsam für morgen\n\n1. Bürgernähe\nWir helfen.\n"
    )
    assert g.title == "Leitbild Musterstadt"
    assert g.preamble == "Gemeinsam für morgen"
    assert [(s.number, s.title, len(s.statements)) for s in g.sections] == [("1", "Bürgernähe", 1)]


def test_a_short_line_inside_a_grundsatz_is_part_of_its_text_not_a_heading():
    text = (
        "Grundsätze des Amtes\n\nGrundsatz 1: Verlässlichkeit\nZusagen werden eingehalten.\n\n"
        "Auch bei Zeitdruck\n\nGrundsatz 2: Offenheit\nWir informieren.\n"
    )
    assert sections(text) == [
        (
            "1",
            "Verlässlichkeit",
            [("grundsatz", "Zusagen werden eingehalten.\nAuch bei Zeitdruck")],
        ),
        ("2", "Offenheit", [("grundsatz", "Wir informieren.")]),
    ]


def test_inline_leadin_items_and_the_bullets_below_form_one_list():
    text = "Leitbild Musterstadt\n\n1. Werte\nWichtig sind uns: Offenheit; Respekt.\n- Vertrauen\n- Fairness\n"
    g = gp.parse_text(text)
    assert g.sections[0].intro == "Wichtig sind uns:"
    assert [(st.kind, st.text) for st in g.sections[0].statements] == [
        ("anliegen", "Offenheit"),
        ("anliegen", "Respekt."),
        ("anliegen", "Vertrauen"),
        ("anliegen", "Fairness"),
    ]


# --- guideline: closing -------------------------------------------------------------------


def test_everything_after_ausblick_is_closing_including_lists():
    text = (
        "Leitbild Musterstadt\n\n1. Bürgernähe\nWir helfen.\n\nAusblick\n"
        "Das Leitbild wird jährlich überprüft und weiterentwickelt.\n"
        "- Befragung der Beschäftigten\n- Bericht an den Rat\n"
    )
    g = gp.parse_text(text)
    assert [(s.title, len(s.statements)) for s in g.sections] == [("Bürgernähe", 1)]
    assert g.closing == (
        "Ausblick\n\nDas Leitbild wird jährlich überprüft und weiterentwickelt.\n\n"
        "- Befragung der Beschäftigten\n- Bericht an den Rat"
    )


def test_a_closing_heading_ends_an_open_grundsatz():
    text = (
        "Grundsätze des Amtes\n\nGrundsatz 1: Verlässlichkeit\nZusagen werden eingehalten.\n\n"
        "Schlusswort\nDanke an alle, die mitgewirkt haben.\n"
    )
    g = gp.parse_text(text)
    assert g.kind == "grundsaetze"
    assert [(s.number, s.title) for s in g.sections] == [("1", "Verlässlichkeit")]
    assert [st.text for st in g.sections[0].statements] == ["Zusagen werden eingehalten."]
    assert g.closing == "Schlusswort\n\nDanke an alle, die mitgewirkt haben."


def test_a_trailing_resolution_line_is_closing_not_a_new_section():
    text = (
        "Leitbild Musterstadt\n\n1. Bürgernähe\nWir helfen allen Menschen.\n\n"
        "Beschlossen vom Gemeinderat am 12. März 2024\n"
    )
    g = gp.parse_text(text)
    assert [s.title for s in g.sections] == ["Bürgernähe"]
    assert g.closing == "Beschlossen vom Gemeinderat am 12. März 2024"


# --- guideline: headings collected after the statements (two-column PDFs) -----------------

COLLECTED = """LEITLINIEN DER ZUSAMMENARBEIT

Präambel
Diese Leitlinien gelten für alle Beschäftigten.

## Hinweis zur Entstehung

Wir lernen voneinander und teilen Wissen. Ich bilde mich regelmäßig fort.

Wir achten auf Gesundheit und Pausen. Ich achte auf meine Gesundheit.

- Wir handeln verantwortlich mit Mitteln.
- Sparsamkeit bei allen Ausgaben.

Die Reihenfolge ist keine Rangfolge.

LERNEN

GESUNDHEIT

VERANTWORTUNG
"""


def test_collected_capital_headings_without_a_shared_first_word():
    g = gp.parse_text(COLLECTED)
    assert g.title == "LEITLINIEN DER ZUSAMMENARBEIT"
    assert g.kind == "leitlinien"
    assert [(s.title, [(st.kind, st.text) for st in s.statements]) for s in g.sections] == [
        (
            "LERNEN",
            [
                ("wir", "Wir lernen voneinander und teilen Wissen."),
                ("ich", "Ich bilde mich regelmäßig fort."),
            ],
        ),
        (
            "GESUNDHEIT",
            [
                ("wir", "Wir achten auf Gesundheit und Pausen."),
                ("ich", "Ich achte auf meine Gesundheit."),
            ],
        ),
        (
            "VERANTWORTUNG",
            [
                ("wir", "Wir handeln verantwortlich mit Mitteln."),
                # a list item without "Wir" continues the Wir statements before it
                ("wir", "Sparsamkeit bei allen Ausgaben."),
            ],
        ),
    ]
    assert g.preamble == "Präambel\n\nDiese Leitlinien gelten für alle Beschäftigten."
    # Text among the statements has no dimension; it is shown to the person, not dropped.
    assert g.unrecognised == ["Hinweis zur Entstehung", "Die Reihenfolge ist keine Rangfolge."]
    assert "2 Textteile konnten keinem Abschnitt zugeordnet werden." in g.warnings


def test_more_statement_groups_than_collected_headings_share_them():
    text = (
        "Leitlinien der Verwaltung\n\nWir lernen jeden Tag dazu.\n\nWir lernen aus Fehlern.\n\n"
        "Wir achten auf Gesundheit.\n\nWir achten auf Pausen.\n\n"
        "Wir übernehmen Verantwortung.\n\nLERNEN\n\nGESUNDHEIT\n"
    )
    g = gp.parse_text(text)
    assert [(s.title, [st.text for st in s.statements]) for s in g.sections] == [
        ("LERNEN", ["Wir lernen jeden Tag dazu.", "Wir lernen aus Fehlern."]),
        (
            "GESUNDHEIT",
            [
                "Wir achten auf Gesundheit.",
                "Wir achten auf Pausen.",
                "Wir übernehmen Verantwortung.",
            ],
        ),
    ]
    # Without a matching word the assignment is a guess and must be marked for review.
    review = [st.text for s in g.sections for st in s.statements if st.needs_review]
    assert review == ["Wir achten auf Pausen.", "Wir übernehmen Verantwortung."]


def test_a_single_capital_heading_after_the_statements_is_no_dimension_layout():
    text = (
        "Leitlinien der Verwaltung\n\nWir lernen jeden Tag dazu. Wir lernen aus Fehlern. "
        "Wir achten auf Gesundheit. Wir achten auf Pausen.\n\nKONTAKT\n\n"
        "Rathausplatz 1 in Musterstadt\n"
    )
    g = gp.parse_text(text)
    assert [(s.title, len(s.statements)) for s in g.sections] == [("", 4)]
    assert g.closing == "KONTAKT\n\nRathausplatz 1 in Musterstadt"
    assert not any("mehrspaltiges Layout" in w for w in g.warnings)


# --- guideline: helpers on input the document pipeline never produces ----------------------


def test_units_keep_the_last_paragraph_without_a_trailing_newline():
    # normalise() always appends one; the splitter must not depend on that.
    units = gp._units("1. Bürgernähe\nWir helfen.")
    assert [(u.type, u.title or u.text) for u in units] == [
        ("heading", "Bürgernähe"),
        ("prose", "Wir helfen."),
    ]


def test_a_list_is_never_taken_for_a_signature():
    assert gp._signature_like(gp.Unit("list", entries=["Dr. Meier", "Bürgermeister"])) is False
    assert gp._signature_like(gp.Unit("prose", ["Dr. Meier", "Bürgermeister"])) is True


def test_no_statement_groups_need_no_assignment():
    assert gp._assign([]) == []


def test_cells_right_of_the_last_header_are_kept_as_extra_columns():
    """A table row longer than its header loses nothing: the cell keeps its column number,
    and a continuation row adds to it on a new line."""
    parsed = build(
        ["1", "Mobilität", "Radwege ausbauen", "", "", "", "Notiz ohne Spaltenkopf"],
        ["", "", "", "", "", "", "zweite Notiz"],
    )
    initiative = parsed.plan["action_fields"][0]["initiatives"][0]
    assert initiative["title"] == "Radwege ausbauen"
    assert initiative["extra"]["Spalte 7"] == "Notiz ohne Spaltenkopf\nzweite Notiz"


def test_an_explaining_paragraph_before_the_first_statement_is_the_section_intro():
    # Was covered only by the shuffled-lines fuzz test, so the 100 % gate depended on luck.
    text = (
        "Leitbild Musterstadt\n\n1. Bürgernähe\n\n"
        "Dieser Abschnitt beschreibt, wie die Verwaltung mit den Menschen umgeht.\n\n"
        "Wir hören zu.\nWir helfen schnell.\n\n2. Offenheit\n\nWir informieren früh.\n"
    )
    g = gp.parse_text(text)
    assert g.sections[0].intro == (
        "Dieser Abschnitt beschreibt, wie die Verwaltung mit den Menschen umgeht."
    )
    assert sections(text) == [
        ("1", "Bürgernähe", [("wir", "Wir hören zu."), ("wir", "Wir helfen schnell.")]),
        ("2", "Offenheit", [("wir", "Wir informieren früh.")]),
    ]
    assert g.sections[1].intro == ""


def test_bullet_items_keep_their_wrapped_lines_and_a_lone_dash_starts_the_next_item():
    text = (
        "Leitbild Musterstadt\n\n1. Werte\n\n- Wir hören zu und\nnehmen Anliegen ernst.\n"
        "-\nWir helfen schnell.\n- Wir bleiben freundlich.\n"
    )
    assert sections(text) == [
        (
            "1",
            "Werte",
            [
                ("wir", "Wir hören zu und nehmen Anliegen ernst."),
                ("wir", "Wir helfen schnell."),
                ("wir", "Wir bleiben freundlich."),
            ],
        )
    ]


def test_the_last_sentence_of_a_paragraph_can_introduce_the_list_below_it():
    text = (
        "Leitbild Musterstadt\n\n1. Werte\n\nDie Verwaltung hat sich Ziele gesetzt.\n"
        "Dafür gilt:\n- Offenheit\n- Respekt\n"
    )
    g = gp.parse_text(text)
    # One section: the lead-in joins the explanation instead of titling a section of its own.
    assert [(s.number, s.title) for s in g.sections] == [("1", "Werte")]
    assert g.sections[0].intro == "Die Verwaltung hat sich Ziele gesetzt.\n\nDafür gilt:"
    assert [(st.kind, st.text) for st in g.sections[0].statements] == [
        ("anliegen", "Offenheit"),
        ("anliegen", "Respekt"),
    ]


def test_a_list_without_any_heading_becomes_one_untitled_section():
    g = gp.parse_text("Leitbild Musterstadt\n\n- Wir hören zu.\n- Ich helfe gern.\n")
    assert [(s.title, [(st.kind, st.text) for st in s.statements]) for s in g.sections] == [
        ("", [("wir", "Wir hören zu."), ("ich", "Ich helfe gern.")])
    ]
