"""Plain-language helper: Amstad reading ease, long sentences, nominal style, German hints."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from leitwerk.portal.readability import (
    analyse,
    band_for,
    count_syllables,
    reading_ease,
    split_sentences,
)

PLAIN = (
    "Wir bauen ein neues Bürgerbüro. Dort bekommen Sie Ihren Ausweis schneller. "
    "Sie können online einen Termin buchen. Wir helfen Ihnen gern."
)
OFFICIAL = (
    "Die Sicherstellung der Umsetzung der Digitalisierungsstrategie unter Berücksichtigung "
    "der Anforderungen der Barrierefreiheit und der Gewährleistung der Datensicherheit "
    "erfolgt durch die Verwaltung in Abstimmung mit den zuständigen Fachbereichen sowie "
    "unter Einbeziehung der Öffentlichkeit."
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("Haus", 1),
        ("Bürger", 2),
        ("Verwaltung", 3),
        ("Bürgerbeteiligung", 6),
        ("neue", 2),
        ("Situation", 5),
        ("Häuser", 2),
        ("Straße", 2),
        ("Öffentlichkeit", 4),
        ("Ziel", 1),
        ("x", 1),
    ],
)
def test_syllables_by_german_vowel_groups(word, syllables):
    assert count_syllables(word) == syllables


def test_amstad_formula_on_a_hand_counted_example():
    # Die(1) Stadt(1) plant(1) neu-e(2) Rad-we-ge(3). Sie(1) sol-len(2) si-che-rer(3) wer-den(2).
    # 2 sentences, 9 words, 16 syllables: 180 - 4.5 - 58.5 * 16/9 = 71.5
    result = analyse("Die Stadt plant neue Radwege. Sie sollen sicherer werden.")
    assert (result.sentences, result.words) == (2, 9)
    assert result.avg_sentence_length == 4.5
    assert result.score == 71.5
    assert result.band == "eher leicht"


def test_plain_text_scores_well_and_gets_no_hints():
    result = analyse(PLAIN)
    assert result.score >= 60
    assert result.ok
    assert result.hints == []
    assert result.long_sentences == []


def test_official_style_gets_all_three_hints_in_german():
    result = analyse(OFFICIAL)
    assert result.score < 30
    assert result.band == "sehr schwer"
    assert len(result.long_sentences) == 1
    assert "Sicherstellung" in result.nominal_words
    assert result.nominal_share > 0.1
    joined = " ".join(result.hints)
    assert "schwer zu lesen" in joined
    assert "mehr als 20 Wörter" in joined
    assert "-ung, -heit, -keit oder -ion" in joined
    assert "Verben" in joined
    assert reading_ease(OFFICIAL) < reading_ease(PLAIN)


def test_abbreviations_and_ordinals_do_not_end_sentences():
    text = "Am 3. Mai öffnet das Amt z. B. länger, d. h. bis 20 Uhr. Das freut uns."
    assert split_sentences(text) == [
        "Am 3. Mai öffnet das Amt z. B. länger, d. h. bis 20 Uhr.",
        "Das freut uns.",
    ]


def test_question_and_exclamation_marks_end_sentences():
    assert len(split_sentences("Haben Sie Fragen? Rufen Sie an! Wir helfen.")) == 3


def test_empty_text_has_no_score():
    result = analyse("   ")
    assert result.score is None
    assert result.hints == []
    assert reading_ease("") is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (95, "sehr leicht"),
        (85, "leicht"),
        (75, "eher leicht"),
        (65, "mittelschwer"),
        (55, "eher schwer"),
        (40, "schwer"),
        (10, "sehr schwer"),
    ],
)
def test_bands(score, band):
    assert band_for(score) == band


def test_template_tag_and_filter():
    template = Template(
        "{% load plain_language %}{% readability_report text 2 %}|{{ text|reading_ease }}"
    )
    html = template.render(Context({"text": OFFICIAL}))
    assert '<h2 class="readability__title">Lesbarkeit: 0 von 100 (sehr schwer)</h2>' in html
    assert "mehr als 20 Wörter" in html
    assert html.rsplit("|", 1)[1] in ("0,0", "0.0")  # localised number
    ok = Template("{% load plain_language %}{% readability_report text %}").render(
        Context({"text": PLAIN})
    )
    assert "Gut verständlich" in ok
    assert "<h3" in ok
