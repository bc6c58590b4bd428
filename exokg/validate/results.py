"""What validation finds: one result per (focus node, path, value, message), in a report sorted for reading."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which property, what is wrong, how bad."""

    focus: str
    focus_label: str
    path: str | None
    severity: str
    message: str
    shape: str
    value: str | None


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    def as_text(self) -> str:
        """A readable list: one line per result, sorted, with labels instead of bare IRIs."""
        if not self.results:
            return "The graph conforms to the shapes: no violations, no warnings."
        lines = [f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s):"]
        for r in self.results:
            where = f" [{_short(r.path)}]" if r.path else ""
            value = f" (value: {r.value})" if r.value else ""
            lines.append(f"- {r.severity}: {r.focus_label} <{r.focus}>{where}: {r.message}{value}")
        return "\n".join(lines)


def focus_name(labels: list[str], node: str) -> str:
    """How a report names a focus node: the least of its labels, so that a node with two (itself a violation) is
    named the same every time, else the last segment of its IRI."""
    return min(labels) if labels else node.rsplit("/", 1)[-1]


def make_report(results: list[ValidationResult]) -> ValidationReport:
    # Path and value are absent for node-level results: sort them as empty rather than compare None with text.
    return ValidationReport(tuple(sorted(set(results), key=lambda r: (
        r.focus, r.path or "", r.severity, r.message, r.shape, r.value or ""))))


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[1] or iri
    return iri
