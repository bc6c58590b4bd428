"""The words pages use for their headings and field labels, in English, Russian and Ukrainian.

Kept as data so a new language or site vocabulary is one entry, not a new branch in a layout.
Keys are case-folded; :func:`heading_key` turns a printed heading into its key.
"""

from __future__ import annotations

import re
from enum import Enum

from exokg.sources.normalise import squash


class Kind(Enum):
    """What a heading opens."""

    ABSTRACT = "abstract"
    KEYWORDS = "keywords"
    REFERENCES = "references"
    CITED_BY = "cited_by"
    OTHER_WORKS = "other_works"  # similar articles, comments, errata: other works' identifiers live here
    AFFILIATIONS = "affiliations"
    AUTHORS = "authors"
    PUBLICATION_TYPES = "publication_types"
    BODY = "body"
    BACK = "back"  # back matter and site furniture: it only ends what came before


# fmt: off
HEADINGS: dict[str, Kind] = {
    **dict.fromkeys([
        "abstract", "summary", "аннотация", "резюме", "реферат", "анотація",
    ], Kind.ABSTRACT),
    **dict.fromkeys([
        "keywords", "key words", "keyword", "key-words", "author keywords", "index terms",
        "ключевые слова", "ключові слова",
    ], Kind.KEYWORDS),
    **dict.fromkeys([
        "references", "reference list", "references and notes", "references cited", "bibliography",
        "literature cited", "works cited", "cited literature",
        "список литературы", "литература", "библиография", "список использованной литературы",
        "список літератури", "література",
    ], Kind.REFERENCES),
    **dict.fromkeys([
        "cited by", "citing articles", "articles citing this article", "cited in",
        "цитируется в", "цитирующие статьи", "цитування", "цитується в",
    ], Kind.CITED_BY),
    **dict.fromkeys([
        "similar articles", "related articles", "recommended articles", "more like this", "you may also like",
        "related content", "see also", "comment in", "comment on", "erratum in", "erratum for", "update in",
        "update of", "retraction in", "retraction of", "republished in", "republished from",
        "expression of concern in", "corrected and republished in", "похожие статьи", "схожі статті",
    ], Kind.OTHER_WORKS),
    **dict.fromkeys([
        "affiliations", "affiliation", "author information", "author affiliations",
        "аффилиации", "аффилиация", "место работы", "афіліації",
    ], Kind.AFFILIATIONS),
    **dict.fromkeys([
        "authors", "author", "author(s)", "авторы", "автор", "автори",
    ], Kind.AUTHORS),
    **dict.fromkeys([
        "publication types", "publication type", "article type", "тип публикации", "тип публікації",
    ], Kind.PUBLICATION_TYPES),
    **dict.fromkeys([
        "introduction", "background", "materials and methods", "methods", "method", "results", "discussion",
        "results and discussion", "conclusion", "conclusions", "main text", "full text",
        "введение", "методы", "материалы и методы", "результаты", "обсуждение", "заключение", "выводы",
        "вступ", "висновки",
    ], Kind.BODY),
    **dict.fromkeys([
        "pubmed disclaimer", "conflict of interest statement", "conflict of interest", "conflicts of interest",
        "competing interests", "declaration of competing interest", "figures", "figures and tables", "tables",
        "supplementary material", "supplementary materials", "supplementary information", "supplementary data",
        "acknowledgements", "acknowledgments", "acknowledgement", "acknowledgment", "funding",
        "grants and funding", "author contributions", "authors' contributions", "footnotes", "notes",
        "abbreviations", "data availability", "data availability statement",
        "availability of data and materials", "declarations", "ethics approval and consent to participate",
        "consent for publication", "mesh terms", "substances", "linkout - more resources", "full text links",
        "related information", "associated data", "article information", "article metrics", "metrics",
        "graphical abstract", "highlights", "rights and permissions", "about this article",
        "additional information", "publisher's note", "благодарности", "финансирование", "конфликт интересов",
    ], Kind.BACK),
}

# Labels of structured abstracts, by the part they open: an earlier part after a later one, or a
# repeated one, means the abstract is over and the article body (Background, Methods ...) began.
ABSTRACT_LABELS: dict[str, int] = {
    **dict.fromkeys([
        "background", "backgrounds", "introduction", "context", "objective", "objectives", "aim", "aims",
        "aim of the study", "purpose", "rationale", "hypothesis", "scope", "scope of review", "importance",
        "введение", "цель", "цели", "цель исследования", "актуальность", "мета", "вступ",
    ], 0),
    **dict.fromkeys([
        "methods", "method", "materials and methods", "material and methods", "methods and materials",
        "design", "study design", "setting", "participants", "patients", "interventions", "measurements",
        "main outcome measures", "methodology", "approach", "методы", "материалы и методы", "методи",
    ], 1),
    **dict.fromkeys([
        "results", "findings", "main findings", "key findings", "results and conclusions",
        "результаты", "результати",
    ], 2),
    **dict.fromkeys([
        "conclusion", "conclusions", "interpretation", "significance", "general significance", "implications",
        "conclusions and relevance", "major conclusions", "discussion", "заключение", "выводы", "висновки",
    ], 3),
    **dict.fromkeys([
        "trial registration", "clinical trial registration", "limitations", "level of evidence",
    ], 4),
}

# Labelled fields: "Journal: Biomark Res", "Журнал: ...", and the colon-less "Journal Biomark Res" of
# article-listing sites. The value is what follows the label.
FIELD_LABELS: dict[str, str] = {
    **dict.fromkeys(["title", "article title", "название", "заглавие", "назва"], "title"),
    **dict.fromkeys(["authors", "author", "author(s)", "авторы", "автор", "автори"], "authors"),
    **dict.fromkeys(["journal", "journal title", "published in", "журнал", "издание", "видання"], "journal"),
    **dict.fromkeys(["publisher", "издательство", "издатель", "видавець", "видавництво"], "publisher"),
    **dict.fromkeys(["year", "год", "рік"], "year"),
    **dict.fromkeys([
        "date", "published", "publication date", "date published", "pub date",
        "дата", "дата публикации", "дата публікації",
    ], "date"),
    **dict.fromkeys(["epub", "published online", "first published"], "epub"),
    **dict.fromkeys(["volume", "vol", "том"], "volume"),
    **dict.fromkeys(["issue", "номер", "выпуск", "випуск"], "issue"),
    **dict.fromkeys(["pages", "page", "pp", "страницы", "сторінки"], "pages"),
    **dict.fromkeys(["doi"], "doi"),
    **dict.fromkeys(["pmid", "pubmed id"], "pmid"),
    **dict.fromkeys(["pmcid", "pmc"], "pmcid"),
    **dict.fromkeys(["keywords", "key words", "ключевые слова", "ключові слова"], "keywords"),
    **dict.fromkeys(["citations", "cited by", "times cited", "citation count", "цитирования", "цитування"],
                    "citations"),
    **dict.fromkeys(["publication type", "article type", "document type", "тип публикации", "тип публікації"],
                    "publication_type"),
}

# Labels that article-listing sites print without a colon ("Journal Biomark Res"); few on purpose,
# since without the colon any line starting with such a word would match.
COLONLESS_FIELDS = frozenset([
    "journal", "publisher", "date", "pmid", "pmcid", "pmc", "doi", "citations", "volume", "issue", "pages",
    "year", "журнал", "издательство", "дата", "год", "том", "видавець", "рік",
])
# fmt: on

# Headings that count only next to other signs of an article ("Summary" also heads recipes).
WEAK_HEADINGS = frozenset({"summary"})

# Headings whose value may follow on the same line: "Keywords: a; b", "Abstract: text".
INLINE_KINDS = frozenset({Kind.ABSTRACT, Kind.KEYWORDS, Kind.AUTHORS, Kind.AFFILIATIONS, Kind.PUBLICATION_TYPES})

ANY_TIME_RANK = 4

_PATTERNS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"cited by(?: \d+)?(?: (?:articles?|papers?|publications?))?(?: in \w+)?"), Kind.CITED_BY),
    (re.compile(r"(?:references|bibliography)(?: \d+)?"), Kind.REFERENCES),
)
_FIELD = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*(\S.*)$")


def heading_key(label: str) -> str:
    """``"2. Materials and Methods:"`` as ``"materials and methods"``."""
    key = squash(label).strip(" :.").casefold()
    key = re.sub(r"^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+", "", key)
    return re.sub(r"\s*\(\d+\)$", "", key)


def heading_kind(key: str) -> Kind | None:
    """The kind of heading ``key`` names, or ``None``."""
    if key in HEADINGS:
        return HEADINGS[key]
    for pattern, kind in _PATTERNS:
        if pattern.fullmatch(key):
            return kind
    return None


def read_field(line: str, *, colon_required: bool = True) -> tuple[str, str] | None:
    """``("journal", "Biomark Res")`` from ``Journal: Biomark Res`` (or ``Journal Biomark Res``)."""
    match = _FIELD.match(line)
    if match:
        key = heading_key(match.group(1))
        if key in FIELD_LABELS:
            return FIELD_LABELS[key], squash(match.group(2))
    if colon_required:
        return None
    tokens = line.split()
    for size in (2, 1):
        key = " ".join(tokens[:size]).casefold()
        if len(tokens) > size and key in COLONLESS_FIELDS and key in FIELD_LABELS:
            return FIELD_LABELS[key], squash(" ".join(tokens[size:]))
    return None
