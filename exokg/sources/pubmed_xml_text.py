"""The text of a PubMed XML field with its inline markup flattened: what a reader of the page sees.

Titles, abstracts, keywords and citations may carry ``<i>``, ``<b>``, ``<u>``, ``<sup>``, ``<sub>`` and
MathML (``<mml:math>``). Markup is dropped and its text kept in place (``OR<sub>Q3</sub>`` is ``ORQ3``),
except that PubMed's underlined ``<`` and ``>`` (``<u>&lt;</u>``) stand for ``≤`` and ``≥``.

MathML is read as it is rendered, not in document order: ``<mmultiscripts>`` puts its prescripts
before the base (``³He`` reads ``3He``, not ``He3``), ``<mfrac>`` is ``a/b``, ``<msqrt>`` is ``√x``
(``<mroot>`` ``3√x``), and annotations (a TeX copy of the formula, say) are skipped so a formula is
never read twice. The whitespace that pretty-printing puts between MathML elements is not text;
``<mtext> </mtext>`` is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from exokg.sources.normalise import squash

_UNDERLINED = {"<": "\u2264", ">": "\u2265"}
_MATH_TOKENS = frozenset({"mi", "mn", "mo", "ms"})
_MATH_SKIPPED = frozenset({"annotation", "annotation-xml", "none", "mprescripts", "maligngroup", "malignmark"})


def local_name(element: ET.Element) -> str:
    """The tag without its namespace: ``{http://www.w3.org/1998/Math/MathML}math`` is ``math``."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def flat_text(element: ET.Element | None) -> str | None:
    """The element's text with inline markup flattened and whitespace squashed; ``None`` when blank."""
    if element is None:
        return None
    parts: list[str] = []
    _collect(element, parts)
    return squash("".join(parts)) or None


def _collect(element: ET.Element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        name = local_name(child)
        if name == "math":
            parts.append(math_text(child))
        elif name == "u" and len(child) == 0 and (child.text or "").strip() in _UNDERLINED:
            parts.append(_UNDERLINED[(child.text or "").strip()])
        else:
            _collect(child, parts)
        parts.append(child.tail or "")


def math_text(element: ET.Element) -> str:
    """A MathML element as plain text, in reading order."""
    name = local_name(element)
    children = list(element)
    if name in _MATH_SKIPPED:
        return ""
    if name in _MATH_TOKENS:
        return (element.text or "").strip()
    if name == "mtext":
        return re.sub(r"\s+", " ", element.text or "")
    if name == "mspace":
        return " "
    if name == "semantics":
        return math_text(children[0]) if children else ""
    if name == "mmultiscripts" and children:
        names = [local_name(child) for child in children]
        split = names.index("mprescripts") if "mprescripts" in names else len(children)
        pre = "".join(map(math_text, children[split + 1 :]))
        post = "".join(map(math_text, children[1:split]))
        return pre + math_text(children[0]) + post
    if name == "mfrac" and len(children) == 2:
        return f"{math_text(children[0])}/{math_text(children[1])}"
    if name == "mroot" and len(children) == 2:
        return f"{math_text(children[1])}\u221a{math_text(children[0])}"
    inner = "".join(map(math_text, children))
    return f"\u221a{inner}" if name == "msqrt" else inner
