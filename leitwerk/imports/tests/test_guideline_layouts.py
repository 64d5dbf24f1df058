"""Guideline documents in the layouts towns publish: right structure, and no word lost silently.

The documents are generated (`leitwerk.testing.guideline_layouts`) with the tools a town uses:
a typeset two-column brochure with running header, footer and page numbers, Word with real list
numbering, LibreOffice, a page saved from the town's web site.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.imports.guideline_parser import account, parse_guideline, placed_texts
from leitwerk.imports.readers import extract_text
from leitwerk.testing.guideline_layouts import all_layouts

LAYOUTS = sorted(all_layouts())


def letters(texts) -> Counter[str]:
    """Letters and digits, counted: independent of how a reader spaces or hyphenates words."""
    return Counter(ch.lower() for t in texts for ch in t if ch.isalnum())


def file_text(name: str, data: bytes) -> list[str]:
    """All text of the file, read without the product's readers."""
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    if name.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return [p.text for p in document.paragraphs] + cells
    if name.endswith(".odt"):
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        doc = load(io.BytesIO(data))
        return [teletype.extractText(e) for tag in (H, P) for e in doc.getElementsByType(tag)]
    text = data.decode()
    if name.endswith(".html"):
        text = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&")
    return [text]


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_imports_with_its_title_sections_and_statement_kinds(name):
    layout = all_layouts()[name]
    parsed = parse_guideline(layout.data, layout.filename)
    assert parsed.title == layout.title
    assert parsed.title_found
    assert [(s.number, s.title) for s in parsed.sections] == layout.sections
    if layout.kinds:
        assert [st.kind for s in parsed.sections for st in s.statements] == layout.kinds
    assert not parsed.unrecognised


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_layout_loses_a_word_silently(name):
    """Placed + unrecognised + furniture = every word of the file, counted two ways."""
    layout = all_layouts()[name]
    parsed = parse_guideline(layout.data, layout.filename)
    books = parsed.accounting
    assert books["placed"] + books["unrecognised"] + books["furniture"] == books["source"]
    assert books["placed"] > 0
    accounted = letters(
        placed_texts(parsed) + parsed.unrecognised + [f.text for f in parsed.furniture]
    )
    missing = letters(file_text(layout.filename, layout.data)) - accounted
    # Word may number headings and list items ("1.", "2.1"): that text is not in the runs but
    # is kept too, so nothing of the runs may be missing.
    assert not missing, f"{name}: letters of the file found nowhere: {dict(missing)}"


@pytest.mark.parametrize("name", LAYOUTS)
def test_furniture_is_shown_apart_and_never_becomes_a_statement(name):
    layout = all_layouts()[name]
    parsed = parse_guideline(layout.data, layout.filename)
    statements = " ".join(st.text for s in parsed.sections for st in s.statements)
    furniture = [f.text for f in parsed.furniture]
    for text in layout.furniture:
        assert any(text in piece for piece in furniture)
        assert text not in statements
    assert all(f.where and f.kind_label for f in parsed.furniture)


def test_the_brochure_names_each_running_line_by_page_and_place():
    layout = all_layouts()["brochure_pdf"]
    parsed = parse_guideline(layout.data, layout.filename)
    pieces = {(f.text, f.kind, f.where) for f in parsed.furniture}
    assert ("Seite 2", "page_number", "Seite 2, unten") in pieces
    assert (
        "Leitlinien für Führung und Zusammenarbeit · Stadt Beispielhausen",
        "header",
        "Seite 2, oben",
    ) in pieces
    # The title is the big heading, never the running header.
    assert parsed.title == "Leitlinien für Führung und Zusammenarbeit"
    # Words the typesetter hyphenated (U+2010 at the line's end) come back whole.
    texts = " ".join(st.text for s in parsed.sections for st in s.statements)
    assert "\u2010" not in texts and "-" not in texts
    assert "ohne Rückfragen verstehen" in texts


def test_a_lost_statement_is_listed_as_unrecognised_with_its_page_and_line():
    layout = all_layouts()["brochure_pdf"]
    parsed = parse_guideline(layout.data, layout.filename)
    dropped = parsed.sections[1].statements.pop(2)  # as if a parser rule had lost it
    parsed.unrecognised = []
    account(parsed, extract_text(layout.data, layout.filename))
    assert parsed.unrecognised == [dropped.text]
    assert re.fullmatch(r"Seite 1, Zeile \d+", parsed.unrecognised_where[0])
    books = parsed.accounting
    assert books["unrecognised"] == len(re.findall(r"\w+", dropped.text))
    assert books["placed"] + books["unrecognised"] + books["furniture"] == books["source"]


def test_a_partly_placed_line_lists_only_its_missing_words():
    layout = all_layouts()["paragraphs_text"]
    parsed = parse_guideline(layout.data, layout.filename)
    parsed.sections[2].title = ""  # "§ 3 Beirat" loses its title word
    parsed.unrecognised = []
    account(parsed, extract_text(layout.data, layout.filename))
    assert parsed.unrecognised == ["… Beirat"]
    assert parsed.unrecognised_where == ["Zeile 12"]


def test_nested_items_keep_their_level_under_their_parent():
    layout = all_layouts()["nested_docx"]
    parsed = parse_guideline(layout.data, layout.filename)
    items = [(st.level, st.text) for st in parsed.sections[0].statements]
    assert items == [
        (0, "kurze Wege im Quartier anbieten"),
        (1, "Sprechstunden am Abend"),
        (1, "Hausbesuche für Menschen, die nicht mobil sind"),
        (0, "Wir arbeiten eng mit den Vereinen zusammen."),
    ]


def test_paragraph_numbers_stay_with_their_statement_and_do_not_decide_the_kind():
    layout = all_layouts()["paragraphs_text"]
    parsed = parse_guideline(layout.data, layout.filename)
    first = parsed.sections[0].statements[0]
    assert first.text.startswith("(1) Wir beteiligen")
    assert first.kind == "wir"


def test_an_odt_is_accepted_and_its_headings_and_lists_are_read():
    layout = all_layouts()["leitbild_odt"]
    extracted = extract_text(layout.data, "ohne-endung")  # found by its content, not its name
    assert extracted.fmt == "odt"
    assert "# Leitbild der Gemeindebücherei Talbach" in extracted.text
    assert "  - Bücher und Zeitschriften" in extracted.text


# --- the preview ---------------------------------------------------------------------------


def upload(client, layout_or_name, data=None):
    if data is None:
        layout = all_layouts()[layout_or_name]
        name, data = layout.filename, layout.data
    else:
        name = layout_or_name
    return client.post(
        reverse("imports:upload"),
        {"kind": "guideline", "file": SimpleUploadedFile(name, data)},
    )


def test_the_preview_lists_page_furniture_with_kind_and_place(strategy_user, client_for):
    response = upload(client_for(strategy_user), "brochure_pdf")
    page = response.content.decode()
    assert "Seitenelemente (werden nicht übernommen) (6)" in page
    assert "<td>Kopfzeile</td>" in page and "<td>Seitenzahl</td>" in page
    assert "<td>Seite 2, unten</td>" in page
    assert "Verbleib aller Wörter der Datei" in page
    books = response.context["result"]["guideline"]["accounting"]
    assert books["placed"] + books["furniture"] == books["source"]


# A two-column extraction: a remark between the statements belongs to no dimension.
STRAY = """Wir lernen voneinander und teilen Wissen.

Ich frage nach.
Ich höre zu.

Diese Fassung hat der Personalrat im Mai beraten.

Wir achten auf unsere Gesundheit.

Ich mache Pausen.
Ich bewege mich.

GEMEINSAM LERNEN

GEMEINSAM GESUND
""".encode()


def test_the_person_takes_an_unrecognised_text_into_a_section(
    strategy_user, client_for, musterstadt
):
    client = client_for(strategy_user)
    response = upload(client, "leitlinien.txt", STRAY)
    page = response.content.decode()
    assert "Nicht zugeordnete Textteile (1)" in page
    assert "<td>Diese Fassung hat der Personalrat im Mai beraten.</td>" in page
    assert 'name="un-0-section"' in page and "<td>Zeile 6</td>" in page
    client.post(
        reverse("imports:confirm"),
        {"token": response.context["token"], "action": "import", "un-0-section": "1"},
    )
    doc = GuidelineDocument.objects.get(municipality=musterstadt)
    moved = Statement.objects.get(municipality=musterstadt, text__startswith="Diese Fassung")
    assert moved.section.title == "GEMEINSAM GESUND"
    assert moved.kind == "other"
    assert doc.unrecognised == []


def test_the_person_takes_a_furniture_line_into_a_section(strategy_user, client_for, musterstadt):
    client = client_for(strategy_user)
    response = upload(client, "web_page_html")
    furniture = response.context["result"]["guideline"]["furniture"]
    index = [f["text"] for f in furniture].index("Veranstaltungen im Bürgerhaus")
    client.post(
        reverse("imports:confirm"),
        {"token": response.context["token"], "action": "import", f"fu-{index}-section": "0"},
    )
    assert Statement.objects.get(
        municipality=musterstadt, text="Veranstaltungen im Bürgerhaus"
    ).section.title == ("Bürgernähe")


def test_a_stale_piece_choice_imports_nothing(strategy_user, client_for, musterstadt):
    client = client_for(strategy_user)
    response = upload(client, "web_page_html")
    client.post(
        reverse("imports:confirm"),
        {"token": response.context["token"], "action": "import", "fu-99-section": "0"},
    )
    assert not GuidelineDocument.objects.filter(municipality=musterstadt).exists()


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.django_db
def test_every_layout_is_saved_as_previewed_and_a_second_import_changes_nothing(name, tmp_path):
    from leitwerk.imports.services import guideline_import
    from leitwerk.municipalities.models import Municipality

    town = Municipality.objects.create(name="Teststadt", slug="teststadt")
    layout = all_layouts()[name]
    path = tmp_path / layout.filename
    path.write_bytes(layout.data)
    preview = guideline_import(municipality=town, path=path, dry_run=True)["guideline"]
    saved = guideline_import(municipality=town, path=path)["guideline"]
    assert [(s["number"], s["title"]) for s in saved["sections"]] == layout.sections
    assert [st["text"] for s in saved["sections"] for st in s["statements"]] == [
        st["text"] for s in preview["sections"] for st in s["statements"]
    ]
    statements = list(Statement.objects.filter(municipality=town).values_list("pk", "text"))
    again = guideline_import(municipality=town, path=path)
    assert "Diese Fassung wurde bereits importiert; nichts geändert." in again["warnings"]
    assert list(Statement.objects.filter(municipality=town).values_list("pk", "text")) == (
        statements
    )


def test_nested_points_are_stored_under_their_parent_and_shown_nested(
    strategy_user, client_for, musterstadt, tmp_path
):
    from leitwerk.imports.services import guideline_import

    layout = all_layouts()["nested_docx"]
    path = tmp_path / layout.filename
    path.write_bytes(layout.data)
    result = guideline_import(municipality=musterstadt, path=path)
    levels = [st["level"] for st in result["guideline"]["sections"][0]["statements"]]
    assert levels == [0, 1, 1, 0]
    stored = Statement.objects.filter(municipality=musterstadt)
    parent = stored.get(text="kurze Wege im Quartier anbieten")
    assert sorted(c.text for c in parent.children.all()) == [
        "Hausbesuche für Menschen, die nicht mobil sind",
        "Sprechstunden am Abend",
    ]
    assert stored.get(text__startswith="Wir arbeiten eng").parent is None
    page = client_for(strategy_user).get(
        reverse("guidelines:detail", args=[parent.section.document_id])
    )
    html = re.sub(r"\s+", " ", page.content.decode())
    nested = re.search(r"kurze Wege im Quartier anbieten</span>.*?</li>", html).group()
    assert '<ul class="statements statements--nested">' in nested
    assert "Sprechstunden am Abend" in nested and "Wir arbeiten eng" not in nested
    # The same file again: recognised, every row and link kept.
    ids = sorted(stored.values_list("id", flat=True))
    again = guideline_import(municipality=musterstadt, path=path)
    assert any("bereits importiert" in w for w in again["warnings"])
    assert sorted(stored.values_list("id", flat=True)) == ids
