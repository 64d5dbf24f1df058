"""Transfer suggestions: which shared Vorhaben of other municipalities resemble this one.

Pure and deterministic, so a suggestion can always be explained: Okapi BM25 over German text
that is lower-cased, split at non-letters, stripped of stop words and reduced to Snowball stems.
German compounds ("Terminvergabe", "Radverkehrskonzept") would otherwise never meet their parts
("Termine", "Radverkehr"), so a word is also split where both halves (allowing the linking
"s") are stems the collection knows. The explanation lists the stems that both texts share,
ordered by how much each contributed to the score, with a word as it appears in the match.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import snowballstemmer

K1 = 1.5
B = 0.75
MIN_PART = 4  # shorter halves ("amt", "rat") split too many unrelated words
WORD_RE = re.compile(r"[^\W\d_]+")

# Frequent function words and words every municipal Vorhaben uses ("Stadt", "Verwaltung"):
# they would make every pair look alike.
STOP_WORDS = frozenset(
    """
    aber alle allen aller alles als also am an auch auf aus bei beim bis das dass dem den der
    des die dies diese diesem diesen dieser doch durch ein eine einem einen einer eines für
    gegen hat haben ihr ihre im in ist je jede jeden jeder kann können mehr mit nach nicht noch
    nur ob oder ohne pro sich sie sind so über um und uns unser unsere unter vom von vor war
    werden wie wir wird zu zum zur zwischen sowie damit dabei etwa neu neue neuen neuer
    stadt gemeinde kommune kommunen verwaltung vorhaben ziel ziele zielsetzung bürger bürgerinnen
    jahr jahre jahren soll sollen gibt geben werden wurde wurden einführung einführen
    """.split()
)


@dataclass(frozen=True)
class Document:
    key: str
    text: str


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    terms: tuple[str, ...]  # shown words, strongest contribution first
    stems: tuple[str, ...] = field(default=())


class GermanAnalyzer:
    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("german")
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._stemmer.stemWord(word)
            self._cache[word] = cached
        return cached

    def words(self, text: str) -> list[str]:
        return [w for w, _shown in self.tokens(text)]

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """(folded word, word as written) for every word that carries meaning."""
        out = []
        for shown in WORD_RE.findall(text):
            w = shown.casefold()
            if len(w) > 2 and w not in STOP_WORDS:
                out.append((w, shown))
        return out

    def split_compound(self, word: str, known: set[str]) -> list[str]:
        """Stems of the two halves of a compound, or [] when no split is plausible.

        A split needs at least one half that the vocabulary knows as a word of its own; two
        known halves beat one, a longer known half beats a shorter one.
        """
        best: tuple[int, int, list[str]] | None = None
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            tail_stem = self.stem(word[i:])
            heads = [word[:i]] + ([word[: i - 1]] if word[i - 1] == "s" else [])
            for head in heads:
                if len(head) < MIN_PART:
                    continue
                head_stem = self.stem(head)
                hits = [p for p in (head_stem, tail_stem) if p in known and p not in STOP_WORDS]
                if not hits or max(len(p) for p in hits) < MIN_PART + 1:
                    continue
                score = (len(hits), max(len(p) for p in hits))
                if best is None or score > best[:2]:
                    best = (*score, [head_stem, tail_stem])
        return best[2] if best else []


class Index:
    """BM25 over a fixed collection of documents."""

    def __init__(
        self,
        documents: Sequence[Document],
        *,
        vocabulary: Iterable[str] = (),
        analyzer: GermanAnalyzer | None = None,
    ):
        """`vocabulary`: further texts (e.g. the queries) whose words may split compounds."""
        self.analyzer = analyzer or GermanAnalyzer()
        tokens = [self.analyzer.tokens(d.text) for d in documents]
        extra = [w for text in vocabulary for w in self.analyzer.words(text)]
        self.known = {
            self.analyzer.stem(w)
            for w in [w for ts in tokens for w, _s in ts] + extra
            if len(w) >= MIN_PART
        }
        self.keys = [d.key for d in documents]
        self.terms: list[Counter[str]] = []
        # stem -> the word it most often came from, per document, for the explanation
        self.surface: list[dict[str, str]] = []
        for ts in tokens:
            counts: Counter[str] = Counter()
            forms: dict[str, Counter[str]] = {}
            for w, shown in ts:
                for s in self._stems_of(w):
                    counts[s] += 1
                    forms.setdefault(s, Counter())[shown] += 1
            self.terms.append(counts)
            self.surface.append({s: c.most_common(1)[0][0] for s, c in forms.items()})
        n = len(documents)
        self.avg_len = (sum(sum(c.values()) for c in self.terms) / n) if n else 0.0
        df: Counter[str] = Counter()
        for c in self.terms:
            df.update(c.keys())
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def _stems_of(self, word: str) -> list[str]:
        out = [self.analyzer.stem(word)]
        if len(word) >= 2 * MIN_PART:
            out += self.analyzer.split_compound(word, self.known)
        return out

    def query_terms(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for w in self.analyzer.words(text):
            for s in self._stems_of(w):
                counts[s] += 1
        return counts

    def search(
        self,
        text: str,
        *,
        exclude: Iterable[str] = (),
        limit: int = 5,
        min_relevance: float = 0.0,
    ) -> list[Match]:
        """The best matches, best first.

        `min_relevance` drops matches that cover less than that share of the query: a
        document's score divided by the weight (idf) of every query word the collection knows,
        i.e. what a document would score that contained each of them once. Two Vorhaben on one
        topic share most of their weighty words (0.84–1.17 on the labelled pairs); a match on a
        few incidental words ("Zivilgesellschaft", "veröffentlichen") stays below 0.45.
        """
        query = self.query_terms(text)
        ideal = sum(
            self.idf[t] * (1 + math.log(count)) for t, count in query.items() if t in self.idf
        )
        skip = set(exclude)
        results: list[Match] = []
        for i, key in enumerate(self.keys):
            if key in skip:
                continue
            doc = self.terms[i]
            length = sum(doc.values())
            contributions: dict[str, float] = {}
            for term, q_count in query.items():
                tf = doc.get(term, 0)
                if not tf:
                    continue
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (self.avg_len or 1)))
                # Repeating a word in the query counts, but less than once per repetition.
                contributions[term] = self.idf[term] * norm * (1 + math.log(q_count))
            if not contributions:
                continue
            ranked = sorted(contributions.items(), key=lambda kv: (-kv[1], kv[0]))
            stems = tuple(t for t, _c in ranked)
            shown: list[str] = []
            for t in stems:
                word = self.surface[i][t]
                if word not in shown:
                    shown.append(word)
            score = sum(contributions.values())
            if score < min_relevance * ideal:
                continue
            results.append(Match(key, score, tuple(shown), stems))
        results.sort(key=lambda m: (-m.score, m.key))
        return results[:limit]


def rank(query: str, documents: Sequence[Document], *, limit: int = 5) -> list[Match]:
    return Index(documents, vocabulary=[query]).search(query, limit=limit)
