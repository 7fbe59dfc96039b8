"""Change digests (`what_changed`, `GET /changes`, `/changes.atom`, `mineralkg changes`) on the
curated data, on both stores: every dated fact of a period is listed exactly once, as worked out
here from the validated YAML with PartialDate."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.ontology.dates import FIRST_DATED, RECORD_KEEPING, PartialDate
from mineralkg.ontology.model import Ontology
from mineralkg.settings import Settings

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
NOT_CHANGES = {*RECORD_KEEPING, *FIRST_DATED, "publishedOn"}
CONCEPTS = {"Mineral", "SupplyChainStage", "Application", "Source"}

PERIODS = [
    ("2025", "2025"),  # a year
    ("2025-10", "2026-02"),  # months
    ("2025-10-15", "2026-02-04"),  # days: month-dated facts of October 2025 straddle
    ("2024-04-11", "2024-04-11"),  # one day: the EU's lists of April 2024
    ("2025-10-01", "2025-10-31"),  # a month given as days: equal to "2025-10"
    ("2023-07", None),  # open-ended
    (None, "2021"),
    ("2026-02-04", "2026-02-04"),  # the ministerial's day
]
Key = tuple[str, str, str, str, bool]


# ----------------------------------------------------------------------------- expected


def event_dates(ontology: Ontology) -> set[str]:
    """Date properties that say when something happened in the world."""
    return {
        name
        for name, prop in ontology.properties.items()
        if str(prop.datatype) == XSD_DATE and name not in NOT_CHANGES
    }


def dated_facts(dataset: Dataset, ontology: Ontology) -> Iterator[tuple[str, str, PartialDate]]:
    """(subject, property, date) of every dated fact: nodes by id, relationships by key."""
    dates = event_dates(ontology)
    facts = [(n.id, n.props) for n in dataset.nodes.values() if "Source" not in n.labels]
    facts += [(r.key, r.props) for r in dataset.relations]
    for subject, props in facts:
        yield from ((subject, k, PartialDate.parse(v)) for k, v in props.items() if k in dates)


def involved(dataset: Dataset, actor: str) -> set[str]:
    """The actor, its bodies and people (PART_OF|AFFILIATED_WITH up to 3 hops) and what they are
    linked to directly, timeless concepts left out."""
    members, frontier = {actor}, {actor}
    for _ in range(3):
        frontier = {
            r.start
            for r in dataset.relations
            if r.type in ("PART_OF", "AFFILIATED_WITH")
            and r.end in frontier
            and "Actor" in dataset.nodes[r.start].labels
        } - members
        members |= frontier
    near = set(members)
    for r in dataset.relations:
        for a, b in ((r.start, r.end), (r.end, r.start)):
            if a in members and not CONCEPTS & set(dataset.nodes[b].labels):
                near.add(b)
    return near


def expected(
    dataset: Dataset,
    ontology: Ontology,
    since: str | None,
    until: str | None,
    actors: tuple[str, ...] = (),
) -> list[Key]:
    first = PartialDate.parse(since) if since else None
    last = PartialDate.parse(until) if until else None
    parents = {r.end: r.start for r in dataset.relations if r.type == "HAD_STATUS"}
    ends = {r.key: (r.start, r.end) for r in dataset.relations}
    nears = [involved(dataset, a) for a in actors]
    out = []
    for subject, prop, date in dated_facts(dataset, ontology):
        if (first and date.latest < first.earliest) or (last and date.earliest > last.latest):
            continue
        about = ends.get(subject) or (parents.get(subject, subject),)
        if not all(set(about) & near for near in nears):
            continue
        straddles = bool(
            (first and date.earliest < first.earliest) or (last and date.latest > last.latest)
        )
        out.append((subject, prop, date.earliest.isoformat(), date.latest.isoformat(), straddles))
    return sorted(out)


def shown(content: str) -> str:
    """The text a feed reader shows for an entry's HTML content."""
    return html.unescape(re.sub(r"<[^>]+>", "", content))


def keys(changes: list[dict[str, Any]]) -> list[Key]:
    return sorted(
        (c["subject"], c["property"], c["earliest"], c["latest"], c["straddles"]) for c in changes
    )


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    # a loaded test machine may take seconds to plan the query the first time (Neo4j)
    settings = Settings(query_timeout=60.0, row_limit=5000, cache_ttl=0)
    with TestClient(create_app(settings, store=loaded_store)) as test_client:
        yield test_client


def query(client: TestClient, path: str, **params: str | None) -> Any:
    response = client.get(path, params={k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, response.text
    return response


# ----------------------------------------------------------------------------- the bar


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_changes_list_every_dated_fact_of_the_period_once(
    client: TestClient, curated: Dataset, ontology: Ontology, since: str | None, until: str | None
) -> None:
    want = expected(curated, ontology, since, until)
    assert want, "each period holds dated facts"
    body = query(client, "/changes", since=since, until=until).json()
    assert not body["truncated"]
    changes = body["changes"]
    assert keys(changes) == want  # same facts, none twice, same bounds and flags
    order = [(c["earliest"], c["latest"]) for c in changes]
    assert order == sorted(order), "oldest first"

    feed = feedparser.parse(query(client, "/changes.atom", since=since, until=until).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(want)
    assert Counter(e.id for e in feed.entries) == Counter(
        f"tag:mineralkg,2026:change:{c['subject'].replace('|', '%7C')}:{c['property']}"
        for c in changes
    )


def test_a_month_period_straddles_day_dates_only_at_its_bounds(
    client: TestClient, curated: Dataset, ontology: Ontology
) -> None:
    inside = query(client, "/changes", since="2025-10", until="2025-10").json()["changes"]
    as_days = query(client, "/changes", since="2025-10-01", until="2025-10-31").json()["changes"]
    assert keys(inside) == keys(as_days)
    # a year-dated fact overlaps the month but is not inside it
    assert all(c["straddles"] == (c["precision"] == "year") for c in inside)
    narrow = query(client, "/changes", since="2025-10-15", until="2025-10-15").json()["changes"]
    months = [c for c in narrow if c["precision"] == "month"]
    assert months and all(c["straddles"] for c in months)
    assert keys(narrow) == expected(curated, ontology, "2025-10-15", "2025-10-15")


@pytest.mark.parametrize(
    ("actors", "since", "until"),
    [(("us",), "2025", "2026"), (("us", "eu"), None, None), (("eu",), "2023-07", "2023-07-31")],
)
def test_actor_and_other_keep_the_facts_involving_them(
    client: TestClient,
    curated: Dataset,
    ontology: Ontology,
    actors: tuple[str, ...],
    since: str | None,
    until: str | None,
) -> None:
    params = dict(zip(("actor", "other"), actors, strict=False))
    body = query(client, "/changes", since=since, until=until, **params).json()
    want = expected(curated, ontology, since, until, actors)
    assert want and len(want) < len(expected(curated, ontology, since, until))
    assert keys(body["changes"]) == want


def test_what_changed_covers_every_date_property_of_the_ontology(ontology: Ontology) -> None:
    cypher = catalogue()["what_changed"].cypher
    rel_dates = {
        name
        for name, prop in ontology.relationship_properties().items()
        if str(prop.datatype) == XSD_DATE and name not in NOT_CHANGES
    }
    for name in event_dates(ontology):
        assert f"n.{name}Earliest" in cypher, name
    for name in rel_dates:
        assert f"r.{name}Earliest" in cypher, name


# ----------------------------------------------------------------------------- contents


def test_each_change_carries_its_kind_and_resolved_sources(
    client: TestClient, curated: Dataset
) -> None:
    changes = query(client, "/changes", since="2023-07", until="2023-07").json()["changes"]
    by_subject = {(c["subject"], c["property"]): c for c in changes}
    for change in changes:
        assert change["sources"], change["subject"]
        fact = curated.nodes.get(change["subject"])
        cited = [e.source for e in fact.evidence] if fact else None
        if cited is not None:
            assert [s["id"] for s in change["sources"]] == cited
        for source in change["sources"]:
            node = curated.nodes[source["id"]]
            assert source["name"] == node.name
            assert source["url"] == node.props.get("url")
            assert source["quote"] or source["claim"]
    kinds = {c["kind"] for c in changes}
    assert "status-change" in kinds
    step = next(c for c in changes if c["kind"] == "status-change")
    assert step["status"] and step["entity"] != step["subject"]
    assert ("eu-chile-raw-materials-mou-status-1", "date") in by_subject


def test_list_changes_are_minerals_added_to_lists(client: TestClient, curated: Dataset) -> None:
    changes = query(client, "/changes", since="2024-04-11", until="2024-04-11").json()["changes"]
    listed = [c for c in changes if c["kind"] == "list-change"]
    assert listed
    for change in listed:
        assert change["type"] == "LISTS"
        assert "CriticalMineralList" in curated.nodes[change["start_id"]].labels
        assert change["entity"] == change["start_id"]


def test_the_feed_is_valid_atom_with_links_and_escaped_sources(client: TestClient) -> None:
    raw = query(client, "/changes.atom", since="2023", until="2026").content
    assert raw == query(client, "/changes.atom", since="2023", until="2026").content  # stable
    root = ET.fromstring(raw)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{atom}{tag}") is not None
    feed = feedparser.parse(raw)
    assert not feed.bozo
    changes = query(client, "/changes", since="2023", until="2026").json()["changes"]
    assert len(feed.entries) == len(changes)
    for entry, change in zip(feed.entries, changes, strict=True):
        assert entry.updated == f"{change['earliest']}T00:00:00Z"
        assert entry.link.endswith(f"/view/entity/{change['entity']}")
        for source in change["sources"]:
            assert (source["name"] or source["id"]) in shown(entry.summary)
    # text with & and quotes survives the round trip
    special = [
        (e, c)
        for e, c in zip(feed.entries, changes, strict=True)
        if any("&" in (s["claim"] or "") + (s["name"] or "") for s in c["sources"])
    ]
    assert special
    for entry, change in special:
        for source in change["sources"]:
            assert (source["claim"] or source["quote"] or "") in shown(entry.summary)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"since": "2026-02-30"}, "since"),
        ({"until": "last week"}, "until"),
        ({"since": "2026", "until": "2025-12"}, "until"),
        ({"actor": "no-such-actor"}, "actor"),
        ({"actor": "us", "other": "lithium"}, "other"),  # an id, but not an actor
        ({"other": "eu"}, "other"),
    ],
)
@pytest.mark.parametrize("path", ["/changes", "/changes.atom"])
def test_bad_input_is_a_clear_422(
    client: TestClient, path: str, params: dict[str, str], named: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert named in error["message"]
    detail = {d["parameter"]: d["message"] for d in error["details"]}
    assert detail[named]


# ----------------------------------------------------------------------------- command line


@pytest.mark.slow
def test_the_command_lists_the_same_changes(
    tmp_path: Path, curated: Dataset, ontology: Ontology
) -> None:
    env = {"MINERALKG_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "mineralkg.cli", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)

    assert cli("load", "--quiet").returncode == 0
    done = cli("changes", "--since", "2025-10", "--until", "2025-12", "--json")
    assert done.returncode == 0, done.stderr
    assert keys(json.loads(done.stdout)) == expected(curated, ontology, "2025-10", "2025-12")
    table = cli("changes", "--since", "2025-10", "--until", "2025-12", "--actor", "us")
    want = expected(curated, ontology, "2025-10", "2025-12", ("us",))
    assert table.returncode == 0 and f"{len(want)} row(s)" in table.stdout
    bad = cli("changes", "--since", "2026-02-30")
    assert bad.returncode == 2 and "2026-02-30" in bad.stderr and "since" in bad.stderr
