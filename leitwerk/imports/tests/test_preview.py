"""The web preview speaks German and lets the person fix what the parser marked for review."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# Headings collected at the end (two-column layout): the Ich groups are assigned by position
# only and therefore marked for review.
TWO_COLUMN = """Wir lernen voneinander und teilen Wissen.

 Ich frage nach.
 Ich höre zu.

Wir achten auf unsere Gesundheit.

 Ich mache Pausen.
 Ich bewege mich.

GEMEINSAM LERNEN

GEMEINSAM GESUND

LEITLINIEN
""".encode()

# <ul> without <li>: the item boundaries are only proposed, so the fields are marked for review.
LOST_LISTS = (
    "Nr.;Vorhaben;Umsetzungsideen;Meilensteine\n"
    '1;Radwege;"<ul>Radwege planen Bürger beteiligen</ul>";'
    '"<ul>Konzept beschlossen Bau begonnen</ul>"\n'
).encode()

WITH_OTHER = """Leitbild der Gemeinde

1. Offenheit
- Die Verwaltung ist für alle da.
- Wir hören zu.
""".encode()


def preview(client, content, name, kind):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_plan_review_marks_name_the_fields_in_german(strategy_user, client_for):
    page = preview(client_for(strategy_user), LOST_LISTS, "plan.csv", "plan").content.decode()
    mark = re.search(r'<p class="review-mark">(.*?)</p>', page, re.S)
    assert mark is not None and "Bitte prüfen Sie die Aufteilung in" in mark[1]
    assert mark[1].rstrip().endswith("Umsetzungsideen, Meilensteine")
    assert "ideas" not in mark[1] and "milestones" not in mark[1]


def test_statement_kinds_are_shown_in_german(strategy_user, client_for):
    client = client_for(strategy_user)
    page = preview(client, TWO_COLUMN, "leitbild.txt", "guideline").content.decode()
    assert ">Wir<" in page and ">Ich<" in page
    page = preview(client, WITH_OTHER, "l.txt", "guideline").content.decode()
    assert "Sonstiges" in page
    assert ">Other<" not in page


# Headers no synonym knows: only the mapping file tells what they are.
ODD_HEADERS = (
    "Nr.;Vorhaben;Was wir erreichen wollen;Woran wir es merken\n"
    "1;Radwege;Mehr Radverkehr;Radzählung\n"
).encode()
MAPPING = (
    b'[columns]\n"Was wir erreichen wollen" = "objective"\n"Woran wir es merken" = "indicators"\n'
)


def upload_with_mapping(client, mapping, kind="plan", name="zuordnung.toml"):
    return client.post(
        reverse("imports:upload"),
        {
            "kind": kind,
            "file": SimpleUploadedFile("plan.csv", ODD_HEADERS),
            "mapping": SimpleUploadedFile(name, mapping),
        },
    )


def test_the_mapping_file_is_used_for_preview_and_import(strategy_user, client_for, musterstadt):
    from leitwerk.plans.models import Indicator, Initiative

    client = client_for(strategy_user)
    response = upload_with_mapping(client, MAPPING)
    initiative = response.context["result"]["plan"]["action_fields"][0]["initiatives"][0]
    assert initiative["objective"] == "Mehr Radverkehr"
    assert initiative["indicators"] == ["Radzählung"]
    client.post(
        reverse("imports:confirm"),
        {"token": response.context["token"], "action": "import", "plan_title": "Aktionsplan Test"},
    )
    stored = Initiative.objects.get(municipality=musterstadt, title="Radwege")
    assert stored.objective == "Mehr Radverkehr"
    assert list(Indicator.objects.filter(initiative=stored).values_list("title", flat=True)) == [
        "Radzählung"
    ]


def test_without_mapping_the_odd_columns_stay_extra_fields(strategy_user, client_for):
    response = preview(client_for(strategy_user), ODD_HEADERS, "plan.csv", "plan")
    initiative = response.context["result"]["plan"]["action_fields"][0]["initiatives"][0]
    assert initiative["objective"] == ""
    assert initiative["extra"]["Was wir erreichen wollen"] == "Mehr Radverkehr"


def test_a_broken_mapping_file_is_named_in_the_error(strategy_user, client_for):
    response = upload_with_mapping(client_for(strategy_user), b"[columns\n")
    assert response.status_code == 422
    page = response.content.decode()
    assert "zuordnung.toml" in page and "keine gültige TOML-Datei" in page


def test_mapping_field_errors_name_the_field(strategy_user, client_for):
    client = client_for(strategy_user)
    response = upload_with_mapping(client, MAPPING, name="zuordnung.txt")
    assert "muss eine TOML-Datei" in response.content.decode()
    response = upload_with_mapping(client, MAPPING, kind="guideline")
    assert "nur für Aktionspläne" in response.content.decode()
    assert 'id="mapping-error"' in response.content.decode()


def confirm(client, token, follow=False, **fields):
    return client.post(
        reverse("imports:confirm"),
        {"token": token, "action": "import", "plan_title": "Aktionsplan Test", **fields},
        follow=follow,
    )


def test_the_person_moves_a_flagged_statement_and_changes_its_kind(
    strategy_user, client_for, musterstadt
):
    from leitwerk.guidelines.models import Statement

    client = client_for(strategy_user)
    response = preview(client, TWO_COLUMN, "leitbild.txt", "guideline")
    sections = response.context["result"]["guideline"]["sections"]
    assert [s["title"] for s in sections] == ["GEMEINSAM LERNEN", "GEMEINSAM GESUND"]
    assert sections[0]["statements"][1]["text"] == "Ich frage nach."
    assert sections[0]["statements"][1]["needs_review"]
    page = response.content.decode()
    assert '<label for="st-0-1-section">' in page and 'name="st-0-1-kind"' in page
    # not offered for statements the parser was sure of
    assert 'name="st-0-0-section"' not in page

    confirm(client, response.context["token"], **{"st-0-1-section": "1", "st-0-1-kind": "anliegen"})
    moved = Statement.objects.get(municipality=musterstadt, text="Ich frage nach.")
    assert moved.section.title == "GEMEINSAM GESUND"
    assert moved.kind == "anliegen" and not moved.needs_review
    untouched = Statement.objects.get(municipality=musterstadt, text="Ich höre zu.")
    assert untouched.section.title == "GEMEINSAM LERNEN" and untouched.needs_review
    assert Statement.objects.filter(municipality=musterstadt).count() == 6


def test_the_person_corrects_proposed_list_items(strategy_user, client_for, musterstadt):
    from leitwerk.plans.models import Initiative, Milestone, SubInitiative

    client = client_for(strategy_user)
    response = preview(client, LOST_LISTS, "plan.csv", "plan")
    page = response.content.decode()
    assert 'name="ini-0-0-ideas"' in page and 'name="ini-0-0-milestones"' in page
    confirm(
        client,
        response.context["token"],
        **{
            "ini-0-0-ideas": "Radwege planen\r\n  Bürger beteiligen\r\n\r\n",
            "ini-0-0-milestones": "Konzept beschlossen\nBau begonnen",
        },
    )
    initiative = Initiative.objects.get(municipality=musterstadt, title="Radwege")
    ideas = SubInitiative.objects.filter(initiative=initiative).order_by("order")
    assert [s.text for s in ideas] == ["Radwege planen", "Bürger beteiligen"]
    # An indented line belongs to the idea above it.
    assert ideas[1].parent == ideas[0] and ideas[0].kind == "teilvorhaben"
    milestones = Milestone.objects.filter(initiative=initiative).order_by("order")
    assert [m.title for m in milestones] == ["Konzept beschlossen", "Bau begonnen"]
    assert initiative.needs_review == []


def test_corrections_for_fields_not_marked_are_refused(strategy_user, client_for):
    from leitwerk.plans.models import ActionPlan

    client = client_for(strategy_user)
    token = preview(client, LOST_LISTS, "plan.csv", "plan").context["token"]
    response = confirm(client, token, **{"ini-0-0-indicators": "etwas anderes"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/arbeitsbereich/import/laeufe/")
    page = response.content.decode()
    assert "fehlgeschlagen" in page and "passt nicht mehr zur Datei" in page
    assert not ActionPlan.objects.exists()


# --- text outside the structure (issue 26) ---------------------------------------------------


def test_the_preview_lists_furniture_and_unassigned_text_with_its_place(strategy_user, client_for):
    from leitwerk.imports.tests import layouts

    client = client_for(strategy_user)
    name, data = layouts.multi_sheet_xlsx()
    response = preview(client, data, name, "plan")
    page = response.content.decode()
    assert "Textteile außerhalb der Gliederung" in page
    assert "Blatt „Aktionsfeld A Klima“, Zeile 4, Spalte A" in page
    assert "Beiwerk (Summenzeile)" in page and "Beiwerk (Fußnote)" in page
    assert '<label class="visually-hidden" for="piece-0">' in page
    # The cover sheet names the plan, so no title is asked for.
    assert 'name="plan_title"' not in page


def test_a_plan_without_a_title_asks_for_one_in_the_preview(strategy_user, client_for, musterstadt):
    from leitwerk.plans.models import ActionPlan

    client = client_for(strategy_user)
    response = preview(client, LOST_LISTS, "plan.csv", "plan")
    page = response.content.decode()
    assert '<input type="text" name="plan_title" id="plan_title" required' in page
    confirm(client, response.context["token"], plan_title="Radverkehrsplan Süd")
    assert ActionPlan.objects.get(municipality=musterstadt).title == "Radverkehrsplan Süd"


def test_the_person_moves_unassigned_and_furniture_text_into_the_plan(
    strategy_user, client_for, musterstadt
):
    from leitwerk.imports.tests import layouts
    from leitwerk.plans.models import ActionPlan, Initiative

    client = client_for(strategy_user)
    name, data = layouts.title_block_xlsx()
    response = preview(client, data, name, "plan")
    pieces = response.context["result"]["pieces"]
    assert pieces[0]["kind_label"] == "nicht zugeordnet"
    assert 'value="ini-0-1"' in response.content.decode()
    confirm(client, response.context["token"], **{"piece-0": "ini-0-1"})
    plan = ActionPlan.objects.get(municipality=musterstadt)
    assert plan.unrecognised == []
    fest = Initiative.objects.get(municipality=musterstadt, title="Nachbarschaftsfest")
    assert fest.objective.endswith("Abstimmung mit dem Quartiersbeirat steht noch aus")

    name, data = layouts.multi_sheet_xlsx()
    response = preview(client, data, name, "plan")
    credit = next(
        n
        for n, p in enumerate(response.context["result"]["pieces"])
        if p["reason"] == "Bildnachweis"
    )
    # Junk targets are ignored; the credit goes into the plan's description.
    confirm(client, response.context["token"], **{f"piece-{credit}": "plan", "piece-x": "plan"})
    plan = ActionPlan.objects.get(municipality=musterstadt, title__contains="Lindenau")
    assert plan.description.endswith("Titelbild: © Stadtarchiv Lindenau")


def test_ideas_of_a_teilvorhaben_are_shown_nested_under_it(strategy_user, client_for):
    content = (
        "Aktionsplan Wasser\n\nNr.;Vorhaben;Umsetzungsideen\n"
        '1;Zisternen;"Vorab beraten\nTeilvorhaben 1: Förderung\n- Richtlinie\n- Antrag\n'
        'Teilvorhaben 2: Bau"\n'
    ).encode()
    response = preview(client_for(strategy_user), content, "wasser.csv", "plan")
    item = response.context["result"]["plan"]["action_fields"][0]["initiatives"][0]
    assert item["idea_tree"] == [
        {"text": "Vorab beraten", "children": []},
        {
            "text": "Teilvorhaben 1: Förderung",
            "children": [
                {"text": "Richtlinie", "children": []},
                {"text": "Antrag", "children": []},
            ],
        },
        {"text": "Teilvorhaben 2: Bau", "children": []},
    ]
    page = response.content.decode()
    assert "<li>Teilvorhaben 1: Förderung<ul><li>Richtlinie</li><li>Antrag</li></ul></li>" in page


def test_the_vorhaben_page_shows_a_teilvorhaben_with_its_own_ideas_nested(
    strategy_user, client_for, musterstadt, tmp_path
):
    from leitwerk.imports.services import plan_import
    from leitwerk.plans.models import Initiative

    path = tmp_path / "wasser.csv"
    path.write_text(
        "Aktionsplan Wasser\n\nNr.;Vorhaben;Umsetzungsideen\n"
        '1;Zisternen;"Teilvorhaben 1: Förderung\n- Richtlinie\n- Antrag\nBauherren beraten"\n',
        encoding="utf-8",
    )
    plan_import(municipality=musterstadt, path=path)
    initiative = Initiative.objects.get(municipality=musterstadt, title="Zisternen")
    page = client_for(strategy_user).get(reverse("plans:initiative_detail", args=[initiative.pk]))
    html = re.sub(r">\s+<", "><", page.content.decode())
    own = re.search(r"Teilvorhaben 1: Förderung.*?</ul>", html).group()
    assert own.count("<li>") == 2 and "Richtlinie" in own and "Antrag" in own
    assert "Bauherren beraten" not in own
