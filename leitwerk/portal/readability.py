"""Plain-language check for German public texts: reading ease, long sentences, nominal style.

Reading ease uses Amstad's German adaptation of the Flesch formula:

    FRE = 180 − ASL − 58.5 × ASW

ASL = average sentence length in words, ASW = average syllables per word. Syllables are
counted as vowel groups: a diphthong or doubled vowel (ei, ai, au, äu, eu, ie, aa, ee, oo)
is one nucleus, every other vowel (a e i o u ä ö ü y) one more. The heuristic misses a few
words ("Museum", "Familie"), about one syllable in twenty words, which does not move a
text to another band. The score is a hint for editors, not a verdict: short, clear sentences with
verbs read better than long ones built from nouns ending in -ung, -heit, -keit and -ion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LONG_SENTENCE_WORDS = 20
# Above this share of nominalised words a text reads like an official notice.
NOMINAL_SHARE_LIMIT = 0.10
TARGET_SCORE = 60.0  # "mittelschwer" and better is what plain-language guides ask for

_VOWEL_GROUP = re.compile(r"äu|ai|au|ei|eu|ey|ay|ie|aa|ee|oo|[aeiouyäöü]", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*")
_NOMINAL = re.compile(r"^[A-ZÄÖÜ]\w*(?:ung|heit|keit|ion)(?:en|s)?$")

# Abbreviations whose full stop does not end a sentence (common in administrative German).
_ABBREVIATIONS = (
    "z. B.",
    "z.B.",
    "d. h.",
    "d.h.",
    "u. a.",
    "u.a.",
    "bzw.",
    "ca.",
    "ggf.",
    "evtl.",
    "usw.",
    "Nr.",
    "Abs.",
    "Art.",
    "vgl.",
    "inkl.",
    "Str.",
    "Dr.",
    "Hr.",
    "Fr.",
    "S.",
)
_PLACEHOLDER = "\u2024"  # one-dot leader: looks like a dot but does not end a sentence
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"„»(]?[A-ZÄÖÜ0-9])|\n\s*\n")


def count_syllables(word: str) -> int:
    """Vowel groups of a German word, at least one."""
    return max(1, len(_VOWEL_GROUP.findall(word)))


def split_sentences(text: str) -> list[str]:
    protected = text
    for abbreviation in _ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", _PLACEHOLDER))
    # "am 3. Mai" and "1. Januar": a number's full stop is an ordinal, not a sentence end.
    protected = re.sub(r"(\d)\.(?=\s+\w)", r"\1" + _PLACEHOLDER, protected)
    parts = _SENTENCE_END.split(protected)
    return [p.replace(_PLACEHOLDER, ".").strip() for p in parts if p and _WORD.search(p)]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True)
class Readability:
    score: float | None  # Amstad reading ease, 0 (very hard) to 100 (very easy); None if empty
    band: str  # German label of the score band
    sentences: int
    words: int
    avg_sentence_length: float
    avg_syllables_per_word: float
    long_sentences: list[str] = field(default_factory=list)
    nominal_words: list[str] = field(default_factory=list)
    nominal_share: float = 0.0
    hints: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.hints


def band_for(score: float) -> str:
    if score >= 90:
        return "sehr leicht"
    if score >= 80:
        return "leicht"
    if score >= 70:
        return "eher leicht"
    if score >= 60:
        return "mittelschwer"
    if score >= 50:
        return "eher schwer"
    if score >= 30:
        return "schwer"
    return "sehr schwer"


def analyse(text: str) -> Readability:
    """Scores a German text and returns hints in plain German for the editor."""
    sentences = split_sentences(text or "")
    words = words_of(text or "")
    if not sentences or not words:
        return Readability(
            score=None,
            band="kein Text",
            sentences=0,
            words=0,
            avg_sentence_length=0.0,
            avg_syllables_per_word=0.0,
        )
    asl = len(words) / len(sentences)
    asw = sum(count_syllables(w) for w in words) / len(words)
    raw = 180 - asl - 58.5 * asw
    score = round(max(0.0, min(100.0, raw)), 1)
    long_sentences = [s for s in sentences if len(words_of(s)) > LONG_SENTENCE_WORDS]
    nominal = [w for w in words if _NOMINAL.match(w)]
    share = len(nominal) / len(words)

    hints: list[str] = []
    if score < TARGET_SCORE:
        hints.append(
            f"Der Text ist {band_for(score)} zu lesen (Lesbarkeit {score:.0f} von 100). "
            f"Ziel für Texte an Bürgerinnen und Bürger: mindestens {TARGET_SCORE:.0f}. "
            "Kürzere Sätze und kürzere Wörter helfen."
        )
    if long_sentences:
        count = len(long_sentences)
        hints.append(
            ("1 Satz hat" if count == 1 else f"{count} Sätze haben")
            + f" mehr als {LONG_SENTENCE_WORDS} Wörter. Teilen Sie lange Sätze: "
            "eine Aussage pro Satz."
        )
    if share > NOMINAL_SHARE_LIMIT:
        examples = ", ".join(dict.fromkeys(nominal))
        if len(examples) > 80:
            examples = examples[:77].rsplit(",", 1)[0] + " …"
        hints.append(
            "Viele Hauptwörter auf -ung, -heit, -keit oder -ion "
            f"({round(share * 100)} % der Wörter, z. B. {examples}). "
            "Schreiben Sie lieber mit Verben: "
            "„Wir prüfen den Antrag“ statt „Die Prüfung des Antrags erfolgt“."
        )
    return Readability(
        score=score,
        band=band_for(score),
        sentences=len(sentences),
        words=len(words),
        avg_sentence_length=round(asl, 1),
        avg_syllables_per_word=round(asw, 2),
        long_sentences=long_sentences,
        nominal_words=nominal,
        nominal_share=round(share, 3),
        hints=hints,
    )


def reading_ease(text: str) -> float | None:
    """Only the Amstad score, for lists and sorting."""
    return analyse(text).score


# --- Leichte Sprache ------------------------------------------------------------------------
#
# The rules of the Netzwerk Leichte Sprache and DIN SPEC 33429 that a program can check
# sentence by sentence. Passing them does not make a text Leichte Sprache: that needs a check
# by readers of the target group. The check names the rule each sentence breaks, so the editor
# knows what to change.

EASY_SENTENCE_WORDS = 12
# Letters of a word part above which a compound needs a Mediopunkt or a hyphen.
EASY_COMPOUND_LETTERS = 13

RULE_LENGTH = "Kurze Sätze"
RULE_ONE_STATEMENT = "Eine Aussage pro Satz"
RULE_ACTIVE = "Kein Passiv"
RULE_COMPOUND = "Lange Wörter trennen"

# Words that start a second statement inside a sentence (subordinate or joined clauses).
_CLAUSE_WORDS = (
    "weil|dass|obwohl|damit|sodass|nachdem|während|wobei|falls|sofern|indem|bevor|"
    "sondern|jedoch|denn|welche|welcher|welches|welchen|die|der|das|wenn|aber|und|oder"
)
_SECOND_CLAUSE = re.compile(rf"[,;]\s+(?:{_CLAUSE_WORDS})\b|;", re.IGNORECASE)
_SUBORDINATOR = re.compile(
    r"\b(?:weil|dass|obwohl|sodass|nachdem|wobei|sofern|indem)\b", re.IGNORECASE
)
_WERDEN = re.compile(r"\b(?:wird|werden|wurde|wurden|worden|wirst|werdet)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\b(?:\w+)?ge\w{2,}(?:t|en)\b")
# Infinitives that look like participles ("Wir werden Ihnen Bescheid geben").
_NOT_PARTICIPLES = {
    "geben",
    "gehen",
    "gelten",
    "gewinnen",
    "genießen",
    "gehören",
    "gestalten",
    "genehmigen",
}
_EASY_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


@dataclass(frozen=True)
class EasyFinding:
    """One sentence and the Leichte-Sprache rules it breaks (with what was found)."""

    sentence: str
    rules: list[tuple[str, str]]  # (rule, what was found)


def _passive(sentence: str) -> str:
    if not _WERDEN.search(sentence):
        return ""
    if re.search(r"\bworden\b", sentence, re.IGNORECASE):
        return "„worden“"
    for match in _PARTICIPLE.finditer(sentence):
        word = match.group(0)
        if word.lower() not in _NOT_PARTICIPLES and not word[0].isupper():
            return f"„{_WERDEN.search(sentence).group(0)} … {word}“"  # type: ignore[union-attr]
    return ""


def _long_compounds(sentence: str, names: set[str]) -> list[str]:
    # A Mediopunkt ("Bürger·beteiligung") or a hyphen splits the word into shorter parts,
    # which the pattern then sees one by one. Names are not split.
    return [
        w for w in _EASY_WORD.findall(sentence) if len(w) > EASY_COMPOUND_LETTERS and w not in names
    ]


def easy_language_findings(text: str, *, names: tuple[str, ...] = ()) -> list[EasyFinding]:
    """Every sentence that breaks a Leichte-Sprache rule, in text order, with the rules.

    `names` (the municipality's name, say) are proper names: never asked to be split."""
    name_words = {w for name in names for w in _EASY_WORD.findall(name)}
    findings: list[EasyFinding] = []
    for sentence in split_sentences(text or ""):
        rules: list[tuple[str, str]] = []
        count = len(words_of(sentence))
        if count > EASY_SENTENCE_WORDS:
            rules.append((RULE_LENGTH, f"{count} Wörter, höchstens {EASY_SENTENCE_WORDS} sind gut"))
        clause = _SECOND_CLAUSE.search(sentence) or _SUBORDINATOR.search(sentence)
        if clause:
            found = clause.group(0).strip(" ,")
            rules.append(
                (RULE_ONE_STATEMENT, f"zweiter Satzteil mit „{found}“: teilen Sie den Satz")
            )
        passive = _passive(sentence)
        if passive:
            rules.append((RULE_ACTIVE, f"{passive}: schreiben Sie, wer etwas tut"))
        compounds = _long_compounds(sentence, name_words)
        if compounds:
            examples = ", ".join(f"„{w}“" for w in dict.fromkeys(compounds))
            rules.append((RULE_COMPOUND, f"{examples}: mit Medio·punkt oder Binde-Strich trennen"))
        if rules:
            findings.append(EasyFinding(sentence=sentence, rules=rules))
    return findings
