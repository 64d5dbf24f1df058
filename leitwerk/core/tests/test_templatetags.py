from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load leitwerk %}" + source).render(Context(context))


def test_progress_bar_writes_the_percentage_as_text():
    html = render("{% progress_bar 0.424 0.5 %}")
    assert "42 % erreicht" in html and "erwartet 50 %" in html
    assert 'aria-hidden="true"' in html


def test_progress_bar_without_value_says_so():
    assert "noch nicht messbar" in render("{% progress_bar None %}")


def test_progress_bar_clamps_to_100():
    assert "100 % erreicht" in render("{% progress_bar 1.7 %}")


def test_health_badges_carry_label_and_symbol():
    labels = {
        "on_track": "im Plan",
        "at_risk": "gefährdet",
        "off_track": "kritisch",
        "done": "erledigt",
        "stale": "ohne aktuelle Meldung",
        "unknown": "noch keine Daten",
    }
    symbols = set()
    for value, label in labels.items():
        html = render("{% health_badge h %}", h=value)
        assert label in html and f"badge--{value}" in html
        symbols.add(html.split('aria-hidden="true">')[1][0])
    assert len(symbols) == len(labels), "each state needs its own symbol"


def test_unknown_health_falls_back_to_no_data():
    assert "noch keine Daten" in render("{% health_badge h %}", h="nonsense")


def test_as_text_flattens_imported_values():
    assert render("{{ v|as_text }}", v=["Bonn", "Köln"]) == "Bonn; Köln"
    assert render("{{ v|as_text }}", v={"a": [1, 2]}) == "a: 1; 2"
    assert render("{{ v|as_text }}", v=None) == "–"
