"""Synthetic corpora shaped like the real one, deterministic from a seed, for the benchmark.

    python bench/corpus.py --articles N --out DIR [--seed S]

Each article is a PubMed efetch record (``pubmed-<pmid>.xml``, one ``PubmedArticle`` in a
``PubmedArticleSet``, the form ``exokg fetch`` saves), so the whole ingest path runs: XML parsing,
merging, work resolution, claim extraction. The shape follows the seeds and the recorded API records:

* about 5 authors (1-12), drawn with a skew from a pool that grows with N, so prolific authors recur;
* a journal from a pool of 2 % of N; a year in 2010-2025; 3-6 keywords;
* a structured abstract of about 1,500 characters whose sentences state claims the extractor reads
  (a vesicle source, a verb cue, an outcome or disease; some hedged, some negated) mixed with
  method and background sentences that state none;
* about 40 references (10-80), each with a citation line and a DOI, a PMID or neither: most point at a
  pool of outside works 20 times N with a Zipf-like skew, so popular works are cited by many
  articles and co-citation is non-trivial; about one in ten points at an earlier corpus article.
"""

from __future__ import annotations

import argparse
import sys
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from random import Random
from xml.sax.saxutils import escape

HEAD = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN"'
        ' "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n<PubmedArticleSet>\n')
FIRST_PMID = 40_000_000

SOURCES = ("MSC-derived exosomes", "Bone marrow MSC-derived exosomes", "Umbilical cord MSC-derived exosomes",
           "Adipose-derived stem cell exosomes", "Exosomes from hypoxic MSCs", "MSC-derived extracellular vesicles")
DOWN = ("inflammation", "apoptosis", "fibrosis", "oxidative stress", "tumour growth", "immunogenicity")
UP = ("angiogenesis", "wound healing", "cell proliferation", "macrophage polarization", "exosome secretion")
DISEASES = ("myocardial infarction", "acute kidney injury", "osteoarthritis", "sepsis", "stroke", "liver fibrosis",
            "spinal cord injury", "graft-versus-host disease")
CLAIMS = (
    "{source} reduced {down} in a rat model of {disease}.",
    "{source} significantly attenuated {down} and promoted {up}.",
    "{source} may alleviate {disease} by suppressing {down}.",
    "{source} did not increase {down} in treated animals.",
    "{source} enhanced {up} in vitro.",
    "Hypoxic preconditioning increased exosome secretion by MSCs.",
    "{source} protected against {disease} in mice.",
)
FILLER = (
    "Exosomes were isolated by ultracentrifugation and characterised by nanoparticle tracking analysis.",
    "Cells were cultured for 48 hours in serum-free medium before collection of the conditioned medium.",
    "Western blotting confirmed the presence of CD63, CD81 and TSG101 in the vesicle fraction.",
    "The animals were randomly assigned to treatment and control groups of eight each.",
    "Data are presented as the mean and standard deviation of three independent experiments.",
    "Mesenchymal stem cells are multipotent stromal cells found in many adult tissues.",
    "Extracellular vesicles carry proteins, lipids and nucleic acids between cells.",
)
LABELS = ("BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS")
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Smith", "Kim", "Garcia", "Müller", "Rossi", "Ivanova", "Sato",
            "Nguyen", "Silva", "Kowalski", "O'Brien", "Dubois", "Haddad", "Novak", "Jensen")
WORDS = ("exosomal", "regenerative", "paracrine", "stromal", "vesicle", "therapy", "repair", "signalling",
         "microRNA", "cargo", "injury", "model", "response", "tissue", "cells", "delivery", "immune", "matrix")


@dataclass(frozen=True)
class Shape:
    """The knobs of the corpus shape (defaults from the seeds and recorded records)."""

    authors: int = 5
    references: int = 40
    abstract_chars: int = 1500
    in_corpus_share: float = 0.1


def _skewed(rng: Random, size: int, cumulative: list[float]) -> int:
    """An index in ``range(size)`` drawn with the Zipf-like weights whose running sums are ``cumulative``."""
    return min(size - 1, bisect_left(cumulative, rng.random() * cumulative[-1]))


def _abstract(rng: Random, chars: int) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    per_section = chars // len(LABELS)
    for label in LABELS:
        text = ""
        while len(text) < per_section:
            if label in ("RESULTS", "CONCLUSIONS") or rng.random() < 0.25:
                sentence = rng.choice(CLAIMS).format(source=rng.choice(SOURCES), down=rng.choice(DOWN),
                                                     up=rng.choice(UP), disease=rng.choice(DISEASES))
            else:
                sentence = rng.choice(FILLER)
            text = f"{text} {sentence}".strip()
        sections.append((label, text))
    return sections


def _title(rng: Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9)))
    return f"{rng.choice(SOURCES)} in {rng.choice(DISEASES)}: {words}"


def articles(n: int, seed: int = 1, shape: Shape | None = None) -> Iterator[tuple[str, bytes]]:
    """``(file name, bytes)`` of ``n`` efetch records, the same for the same ``n``, ``seed`` and ``shape``."""
    shape = shape or Shape()
    rng = Random(seed)
    outside = 20 * n
    cited_weights = list(accumulate(1.0 / (i + 1) ** 0.9 for i in range(outside)))
    people = max(50, 3 * n)
    people_weights = list(accumulate(1.0 / (i + 1) ** 0.7 for i in range(people)))
    journals = max(5, n // 50)
    for index in range(n):
        pmid = FIRST_PMID + index
        year = 2010 + index * 16 // max(n, 1)
        authors = []
        for _ in range(max(1, min(12, round(rng.gauss(shape.authors, 2))))):
            person = _skewed(rng, people, people_weights)
            authors.append((f"{SURNAMES[person % len(SURNAMES)]}{person // len(SURNAMES) or ''}",
                            f"{chr(65 + person % 26)}{chr(65 + person * 7 % 26)}"))
        references = []
        for _ in range(max(10, min(80, round(rng.gauss(shape.references, 10))))):
            if index and rng.random() < shape.in_corpus_share:
                target = FIRST_PMID + rng.randrange(index)
                references.append((f"Earlier study {target}. J Synth. {year - 1};1:1-9.", None, str(target)))
                continue
            work = _skewed(rng, outside, cited_weights)
            line = (f"{SURNAMES[work % len(SURNAMES)]} {chr(65 + work % 26)}, et al. "
                    f"{' '.join(WORDS[(work + k) % len(WORDS)] for k in range(6)).capitalize()}. "
                    f"J Synth Res. {1990 + work % 34};{work % 90 + 1}:{work % 400 + 1}-{work % 400 + 9}.")
            kind = rng.random()
            doi = f"10.5555/synth.{work}" if kind < 0.7 else None
            ref_pmid = str(10_000_000 + work) if 0.5 < kind < 0.9 else None
            references.append((line, doi, ref_pmid))
        yield f"pubmed-{pmid}.xml", _record(pmid, year, rng.randrange(journals), _title(rng), authors,
                                            _abstract(rng, shape.abstract_chars),
                                            [rng.choice(WORDS) for _ in range(rng.randint(3, 6))], references)


def _record(pmid: int, year: int, journal: int, title: str, authors: list[tuple[str, str]],
            abstract: list[tuple[str, str]], keywords: list[str],
            references: list[tuple[str, str | None, str | None]]) -> bytes:
    e = escape
    out = [HEAD, "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">",
           f"<PMID Version=\"1\">{pmid}</PMID><Article PubModel=\"Print\"><Journal>",
           f"<ISSN IssnType=\"Electronic\">{5555 + journal // 10000:04d}-{journal % 10000:04d}</ISSN>",
           f"<JournalIssue CitedMedium=\"Internet\"><Volume>{year - 2000}</Volume><Issue>{pmid % 12 + 1}</Issue>",
           f"<PubDate><Year>{year}</Year><Month>{['Jan', 'Apr', 'Jul', 'Oct'][pmid % 4]}</Month></PubDate>",
           f"</JournalIssue><Title>Journal of Synthetic Exosome Research {journal}</Title>",
           f"<ISOAbbreviation>J Synth Exo Res {journal}</ISOAbbreviation></Journal>",
           f"<ArticleTitle>{e(title)}</ArticleTitle><Pagination><MedlinePgn>{pmid % 900 + 1}-{pmid % 900 + 12}"
           "</MedlinePgn></Pagination><Abstract>"]
    for label, text in abstract:
        out.append(f"<AbstractText Label=\"{label}\" NlmCategory=\"{label}\">{e(text)}</AbstractText>")
    out.append("</Abstract><AuthorList CompleteYN=\"Y\">")
    for last, initials in authors:
        out.append(f"<Author ValidYN=\"Y\"><LastName>{e(last)}</LastName><ForeName>{initials}</ForeName>"
                   f"<Initials>{initials}</Initials></Author>")
    out.append("</AuthorList><Language>eng</Language><PublicationTypeList>"
               "<PublicationType UI=\"D016428\">Journal Article</PublicationType></PublicationTypeList></Article>"
               "<KeywordList Owner=\"NOTNLM\">")
    out.extend(f"<Keyword MajorTopicYN=\"N\">{e(k)}</Keyword>" for k in sorted(set(keywords)))
    out.append("</KeywordList></MedlineCitation><PubmedData><ArticleIdList>"
               f"<ArticleId IdType=\"pubmed\">{pmid}</ArticleId>"
               f"<ArticleId IdType=\"doi\">10.5555/exo.{pmid}</ArticleId></ArticleIdList><ReferenceList>")
    for line, doi, ref_pmid in references:
        ids = "".join(f"<ArticleId IdType=\"{kind}\">{value}</ArticleId>"
                      for kind, value in (("doi", doi), ("pubmed", ref_pmid)) if value)
        out.append(f"<Reference><Citation>{e(line)}</Citation>"
                   + (f"<ArticleIdList>{ids}</ArticleIdList>" if ids else "") + "</Reference>")
    out.append("</ReferenceList></PubmedData></PubmedArticle>\n</PubmedArticleSet>\n")
    return "".join(out).encode("utf-8")


def write_corpus(folder: Path, n: int, seed: int = 1) -> int:
    """Write ``n`` articles into ``folder``; returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, data in articles(n, seed):
        (folder / name).write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = write_corpus(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles, {size:,} bytes, to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
