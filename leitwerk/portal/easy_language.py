"""The Leichte-Sprache page of a municipality (§ 4 BITV 2.0): what the site offers, how to use
it, and where the accessibility statement is.

Written from the municipality's own data in short sentences that pass the Leichte-Sprache
check of `readability.py`; a municipality may replace it with its own text (PortalSettings).
This is a draft in the sense of the Leichte-Sprache practice: a group of readers should check
it before the municipality calls it Leichte Sprache.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EasySection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SiteFacts:
    """What the generated text says about the municipality's portal."""

    name: str
    initiatives: int
    goals: int
    has_guideline: bool
    surveys: int
    comments_enabled: bool


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


def generated_sections(facts: SiteFacts) -> list[EasySection]:
    name = facts.name
    offers = [
        f"Das ist die Internet·seite von {name}.",
        f"{name} will Dinge besser machen.",
        "Diese Dinge heißen Vorhaben.",
        "Auf dieser Seite steht: Was macht die Verwaltung?",
        "Und wie weit ist die Arbeit?",
    ]
    if facts.initiatives:
        offers.append(f"Es gibt {_count(facts.initiatives, 'Vorhaben', 'Vorhaben')}.")
    else:
        offers.append("Im Moment gibt es hier noch keine Vorhaben.")
    if facts.goals:
        offers.append(f"Es gibt {_count(facts.goals, 'Ziel', 'Ziele')}.")
        offers.append("Ein Ziel sagt: Das wollen wir erreichen.")
    if facts.has_guideline:
        offers.append("Es gibt auch ein Leit·bild.")
        offers.append("Im Leit·bild steht: So wollen wir zusammen·arbeiten.")
    offers.append("Sie finden hier auch Termine und Neuigkeiten.")
    if facts.surveys:
        offers.append(f"Gerade gibt es {_count(facts.surveys, 'Umfrage', 'Umfragen')}.")
        offers.append("Bei einer Umfrage sagen Sie Ihre Meinung.")

    use = [
        "Oben auf jeder Seite ist ein Menü.",
        "Im Menü stehen die Teile der Seite.",
        "Klicken Sie auf einen Teil.",
        "Dann sehen Sie diesen Teil.",
        "Bei jedem Vorhaben steht: Wie weit ist die Arbeit?",
        "Manche Vorhaben haben einen kurzen Text in Leichter Sprache.",
        "Sie können einem Vorhaben folgen.",
        "Dann bekommen Sie eine E-Mail bei Neuigkeiten.",
    ]
    if facts.comments_enabled:
        use.append("Sie können auch etwas zu einem Vorhaben schreiben.")
        use.append("Wir lesen Ihren Text zuerst.")
        use.append("Danach steht Ihr Text auf der Seite.")
    use += [
        "Sie wollen die Schrift größer?",
        "Dann drücken Sie die Taste Steuerung und die Taste Plus.",
    ]

    access = [
        "Alle Menschen sollen diese Seite gut benutzen können.",
        "Das heißt Barriere·freiheit.",
        "Eine Barriere ist ein Hindernis.",
        "Vielleicht finden Sie auf der Seite eine Barriere.",
        "Dann schreiben Sie uns bitte.",
        "Wir antworten Ihnen.",
        "Es gibt auch eine Erklärung zur Barriere·freiheit.",
        "Die Erklärung ist in schwerer Sprache.",
        "Dort steht: Wo gibt es noch Barrieren?",
        "Und: Wo können Sie sich beschweren?",
    ]
    return [
        EasySection("Was gibt es auf dieser Seite?", offers),
        EasySection("Wie benutze ich die Seite?", use),
        EasySection("Barriere·freiheit", access),
    ]


def own_sections(text: str) -> list[EasySection]:
    """The municipality's own text: a line starting with "## " is a heading, blank lines
    separate paragraphs."""
    sections: list[EasySection] = []
    heading = ""
    paragraphs: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        for line in lines:
            if line.startswith("## "):
                if heading or paragraphs:
                    sections.append(EasySection(heading, paragraphs))
                heading, paragraphs = line[3:].strip(), []
                lines = [x for x in lines if x != line]
        if lines:
            paragraphs.append(" ".join(lines))
    if heading or paragraphs:
        sections.append(EasySection(heading, paragraphs))
    return sections


def as_text(sections: list[EasySection]) -> str:
    """Sections in the format of the editable text (what the workspace offers to start from)."""
    return "\n\n".join(
        "\n\n".join(([f"## {s.heading}"] if s.heading else []) + s.paragraphs) for s in sections
    )
