"""What the evidence rests on, from the validated data: sources by kind, facts with a single
independent source, facts resting only on the weakest kind, duplicate URLs, sources nothing
cites (`mineralkg sources`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mineralkg.loaders.dataset import Dataset, Node, Relation

WEAKEST = "other"


@dataclass(frozen=True)
class Fact:
    key: str  # a node id, or a relationship's from|TYPE|to
    where: str  # file:line
    sources: tuple[str, ...]


@dataclass
class SourcesReport:
    by_kind: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    web_facts: int = 0
    """Facts at least one web source (a Source with a url) supports."""
    web_facts_two_sources: int = 0
    single_source: list[Fact] = field(default_factory=list)
    weakest_only: list[Fact] = field(default_factory=list)
    duplicate_urls: dict[str, list[str]] = field(default_factory=dict)
    uncited: list[str] = field(default_factory=list)

    @property
    def web_two_source_share(self) -> float:
        return self.web_facts_two_sources / self.web_facts if self.web_facts else 0.0


def _facts(dataset: Dataset) -> list[tuple[Node | Relation, str]]:
    out: list[tuple[Node | Relation, str]] = [
        (n, n.id) for n in dataset.nodes.values() if "Source" not in n.labels
    ]
    out += [(r, r.key) for r in dataset.relations]
    return out


def sources_report(dataset: Dataset) -> SourcesReport:
    sources = {n.id: n for n in dataset.nodes.values() if "Source" in n.labels}
    report = SourcesReport()
    report.by_kind = dict(
        sorted(Counter(s.props.get("sourceKind", "unknown") for s in sources.values()).items())
    )
    cited: set[str] = set()
    for item, key in _facts(dataset):
        cited.update(item.sources)
        fact = Fact(key, f"{item.file}:{item.line}", item.sources)
        report.facts += 1
        count = item.props.get("sourceCount", len(item.sources))
        if count < 2:
            report.single_source.append(fact)
        if item.props.get("sourceKinds") == [WEAKEST]:
            report.weakest_only.append(fact)
        if any("url" in sources[s].props for s in item.sources if s in sources):
            report.web_facts += 1
            report.web_facts_two_sources += count >= 2
    urls: dict[str, list[str]] = defaultdict(list)
    for source in sources.values():
        if "url" in source.props:
            urls[str(source.props["url"]).rstrip("/")].append(source.id)
    report.duplicate_urls = {u: ids for u, ids in sorted(urls.items()) if len(ids) > 1}
    cited |= {s.props["copyOf"] for s in sources.values() if "copyOf" in s.props}
    report.uncited = sorted(set(sources) - cited)
    return report


def report_lines(report: SourcesReport, limit: int) -> list[str]:
    """The report as text, `limit` items per section (0: all)."""
    lines = [
        "sources by kind: " + ", ".join(f"{k} {v}" for k, v in report.by_kind.items()),
        f"facts: {report.facts}; from web sources: {report.web_facts}, of which "
        f"{report.web_facts_two_sources} ({report.web_two_source_share:.1%}) have two or more "
        "independent sources",
    ]
    sections = [
        (
            "facts with one independent source",
            [f"{f.where}: {f.key}" for f in report.single_source],
        ),
        (
            "facts resting only on sources of kind 'other'",
            [f"{f.where}: {f.key}" for f in report.weakest_only],
        ),
        ("duplicate URLs", [f"{u}: {', '.join(ids)}" for u, ids in report.duplicate_urls.items()]),
        ("sources no fact cites", report.uncited),
    ]
    for title, items in sections:
        lines.append(f"\n{title}: {len(items)}")
        lines += [f"  {item}" for item in (items[:limit] if limit else items)]
        if limit and len(items) > limit:
            lines.append(f"  ... {len(items) - limit} more (--limit 0 lists all)")
    return lines
