"""The research notebooks in notebooks/: committed clean, quoting their sources verbatim, and
running top to bottom on a fresh embedded store with the findings their prose states.

Each notebook ends with a code cell tagged `findings` that prints a JSON object of its key results;
the tests execute every notebook in-process with nbclient (kernel `python3`, which jupyter_client
launches with this interpreter) and assert on those objects.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

from mineralkg.graph.catalogue import catalogue
from mineralkg.loaders.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = {
    "01_getting_started",
    "02_cooperation_amid_tension",
    "03_supply_and_lists",
    "04_semantic",
    "05_the_field",
}
KERNEL = "python3"
CELL_TIMEOUT = 120  # seconds for any one cell
TOTAL_BUDGET = 120  # seconds (wall clock) for executing every notebook

# A quote in prose is a Markdown blockquote whose last line names its source: `> — \`source-id\``.
ATTRIBUTION = re.compile(r"^—\s*`([a-z0-9][a-z0-9-]*)`\s*$")


def _ids(path: Path) -> str:
    return path.stem


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- committed files


def test_the_research_notebooks_exist() -> None:
    assert EXPECTED <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; clear them "
        f"(jupyter nbconvert --clear-output --inplace {path.relative_to(ROOT)})"
    )
    assert "widgets" not in nb.metadata, f"{path.name}: widget state is an output too"
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_has_one_findings_cell(path: Path) -> None:
    tagged = [c for c in _read(path).cells if "findings" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"


def _blockquotes(markdown: str) -> list[tuple[str, str]]:
    """(quote, source id) for every blockquote; a blockquote without attribution has source ''."""
    quotes, block = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith(">"):
            block.append(line[1:].strip())
            continue
        if block:
            body = [b for b in block if b]
            match = ATTRIBUTION.match(body[-1]) if body else None
            text = " ".join(body[:-1] if match else body)
            quotes.append((text, match.group(1) if match else ""))
            block = []
    return quotes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_quotes_in_prose_are_verbatim(path: Path, curated: Dataset, captured_texts: Path) -> None:
    """Each blockquote names its source and is found word for word in it (in the captured text
    when the repository keeps one, else among the quotes the curated data records for it)."""
    recorded: dict[str, list[str]] = {}
    for item in [*curated.nodes.values(), *curated.relations]:
        for ev in item.evidence:
            if ev.quote:
                recorded.setdefault(ev.source, []).append(_squash(ev.quote))
    problems = []
    for cell in _read(path).cells:
        if cell.cell_type != "markdown":
            continue
        for quote, source in _blockquotes(cell.source):
            if source not in curated.nodes:
                problems.append(f"unknown or missing source {source!r} for: {quote[:60]}")
                continue
            local = curated.nodes[source].props.get("localCopy")
            if local:
                haystack = [_squash((captured_texts / local).read_text(encoding="utf-8"))]
            else:
                haystack = recorded.get(source, [])
            fragments = [_squash(f) for f in quote.split("…") if f.strip()]
            if not fragments or not all(any(f in h for h in haystack) for f in fragments):
                problems.append(f"not verbatim in {source}: {quote[:80]}")
    assert not problems, "\n".join(problems)


def test_blockquote_parser() -> None:
    text = "intro\n\n> a quoted line\n> continued\n>\n> — `fp-2026-02-26`\n\nafter\n> loose"
    assert _blockquotes(text) == [("a quoted line continued", "fp-2026-02-26"), ("loose", "")]


# ---------------------------------------------------------------------------- execution


@dataclass
class Executed:
    nb: Any
    seconds: float

    def outputs(self) -> list[Any]:
        return [o for c in self.nb.cells if c.cell_type == "code" for o in c.outputs]

    def findings(self) -> dict[str, Any]:
        (cell,) = [c for c in self.nb.cells if "findings" in c.metadata.get("tags", [])]
        text = "".join(
            o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"
        )
        return json.loads(text)


def _kernel_env() -> dict[str, str]:
    """The test's environment without MINERALKG_* settings: notebooks choose their own store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINERALKG_")}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiet debugpy's frozen-modules warning
    return env


def _client(nb: Any) -> Any:
    return nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )


async def _execute(nb: Any) -> float:
    """Run every cell; CellExecutionError on the first that fails. Returns the seconds taken."""
    start = time.perf_counter()
    await _client(nb).async_execute(env=_kernel_env())
    return time.perf_counter() - start


async def _execute_all(notebooks: list[Any]) -> list[float]:
    # one kernel (and one embedded store) per notebook, all running at once
    return list(await asyncio.gather(*(_execute(nb) for nb in notebooks)))


WALL_CLOCK: list[float] = []  # seconds the module's `executed` fixture took, once it has run


@pytest.fixture(scope="module")
def executed() -> dict[str, Executed]:
    notebooks = [_read(path) for path in NOTEBOOKS]
    start = time.perf_counter()
    seconds = asyncio.run(_execute_all(notebooks))
    wall = time.perf_counter() - start
    results = {
        p.stem: Executed(nb, s) for p, nb, s in zip(NOTEBOOKS, notebooks, seconds, strict=True)
    }
    timings = ", ".join(f"{k} {v.seconds:.1f}s" for k, v in results.items())
    print(f"\nnotebook execution (concurrent): {timings}; wall clock {wall:.1f}s")
    WALL_CLOCK.append(wall)
    return results


def _stdout(nb: Any) -> str:
    return "".join(
        o.text
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stdout"
    )


@pytest.mark.slow
def test_kernel_is_this_environment() -> None:
    """Kernel `python3` resolves to the interpreter running the tests (the project's venv)."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import sys, mineralkg\nprint(sys.prefix)\nprint(mineralkg.__file__)"
            )
        ],
        metadata={"kernelspec": {"name": KERNEL, "display_name": "Python 3", "language": "python"}},
    )
    asyncio.run(_execute(nb))
    prefix, module = _stdout(nb).split()
    assert Path(prefix).resolve() == Path(sys.prefix).resolve()
    assert Path(module).resolve().is_relative_to(ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_without_errors(executed: dict[str, Executed], name: str) -> None:
    errors = [o for o in executed[name].outputs() if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    executed[name].findings()  # the findings cell printed valid JSON


@pytest.mark.slow
def test_notebooks_run_well_within_budget(executed: dict[str, Executed]) -> None:
    (wall,) = WALL_CLOCK
    assert wall < TOTAL_BUDGET, f"executing the notebooks took {wall:.0f}s"


@pytest.mark.slow
def test_getting_started(executed: dict[str, Executed], curated: Dataset) -> None:
    f = executed["01_getting_started"].findings()
    deal = "eu-us-draft-critical-minerals-deal"
    assert f["store"] == "embedded"
    assert f["nodes"] == len(curated.nodes)
    assert f["relationships"] == len(curated.relations)
    assert f["catalogue"] == sorted(catalogue()) and "agreement_parties" in f["catalogue"]
    assert f["uk_us_mou_parties"] == ["uk", "us"]
    assert f["uk_us_mou_status"] == "signed"
    assert f["draft_deal_parties"] == ["eu", "us"]
    assert f["draft_deal_provisions"] == sum(
        r.type == "HAS_PROVISION" and r.start == deal for r in curated.relations
    )
    assert f["signed_or_in_force"] == sorted(
        n.id
        for n in curated.nodes.values()
        if "Agreement" in n.labels and n.props.get("status") in {"signed", "in-force"}
    )
    assert {"uk-us-critical-minerals-mou", "trump-xi-temporary-deal"} <= set(
        f["signed_or_in_force"]
    )
    assert f["write_refused"] is True
    assert {deal, "eu", "us", "china-rare-earth-chokehold"} <= set(f["neighbourhood_nodes"])
    assert "greenland-dispute" not in f["neighbourhood_nodes"]  # two hops away, as the prose says
    assert "cryptopolitan-2026-02-03" in f["hood_sources"]  # the prose: "almost every relationship"
    assert f["draft_deal_provisions"] == 13  # the prose says "thirteen provisions"
    assert f["crypto_tensions"] == sorted(
        n.id
        for n in curated.nodes.values()
        if n.cls == "Tension" and "cryptopolitan-2026-02-03" in n.sources
    )
    pages = [
        o.data["text/html"]
        for o in executed["01_getting_started"].outputs()
        if o.output_type == "display_data" and "text/html" in o.data
    ]
    assert any("<iframe srcdoc=" in p and "vis-network" in p for p in pages), "no inline graph"
    assert f["renderer"] in {"mineralkg.views", "pyvis"}


@pytest.mark.slow
def test_cooperation_amid_tension(executed: dict[str, Executed], curated: Dataset) -> None:
    f = executed["02_cooperation_amid_tension"].findings()
    involves = _ends(curated, "INVOLVES")
    assert f["most_tensions_pair"] == ["eu", "us"]
    assert f["most_tensions"] == len(involves.get("eu", set()) & involves.get("us", set()))
    parties = _ends(curated, "PARTY_TO")
    eu_us = sorted(parties["eu"] & parties["us"])
    assert set(eu_us) <= set(f["eu_us_ties"])
    assert {
        "eu-japan-us-critical-minerals-mou",
        "eu-us-draft-critical-minerals-deal",
        "eu-us-strategic-partnership-roadmap",
    } <= set(f["eu_us_ties"])
    done = {"signed", "in-force", "adopted", "approved"}
    assert f["eu_us_ties_signed"] == sum(
        curated.nodes[t].props.get("status") in done for t in f["eu_us_ties"]
    )
    assert {
        "greenland-dispute",
        "nato-dispute",
        "russia-ukraine-war",
        "us-tariff-threats",
        "china-rare-earth-chokehold",
    } <= set(f["eu_us_tensions"])
    assert {"ministerial-bilateral-frameworks", "uk-us-critical-minerals-mou"} <= set(
        f["uk_us_ties"]
    )
    assert f["uk_us_tensions"] == sorted(involves.get("uk", set()) & involves.get("us", set()))
    assert f["china_us_ties"] == ["trump-xi-temporary-deal"]
    # agreements_of_actor also counts bodies and people: the EC adopted the CRMA for the EU
    assert "eu-critical-raw-materials-act" in f["eu_agreements"]
    assert {"preferential-trade-zone", "trump-xi-temporary-deal"} <= set(f["us_agreements"])
    assert f["eu_us_strained"] == ["eu-us-critical-minerals-talks"]
    assert f["analyst_statements"] >= 3
    assert f["china_us_tensions"] == sorted(involves["china"] & involves["us"])
    assert f["stockpile_pairs"] == [
        "eu-france",
        "eu-germany",
        "eu-italy",
        "france-germany",
        "france-italy",
        "germany-italy",
    ]
    assert f["responses"] == sorted(
        f"{r.start} -> {r.end}"
        for r in curated.relations
        if r.type == "RESPONDS_TO" and curated.nodes[r.end].cls == "Tension"
    )
    assert {
        "eu-us-draft-critical-minerals-deal -> china-rare-earth-chokehold",
        "eu-us-draft-territorial-respect -> greenland-dispute",
        "rare-earth-pricing-system -> chinese-price-undercutting",
    } <= set(f["responses"])
    assert _has_chart(executed["02_cooperation_amid_tension"])


@pytest.mark.slow
def test_supply_and_lists(executed: dict[str, Executed], curated: Dataset) -> None:
    f = executed["03_supply_and_lists"].findings()
    assert f["list_members"] == f["list_stated_sizes"] == {"US": 60, "EU": 34}
    assert "copper" in f["on_both"] and len(f["on_both"]) == 27
    assert {"platinum", "palladium", "platinum-group-metals"} <= set(f["on_both_via_group"])
    assert f["only_eu"] == ["feldspar", "helium", "phosphorus", "strontium"]
    assert len(f["only_us"]) == 13 and "uranium" in f["only_us"]
    # the rare-earth groups' members are recorded (BROADER): every US rare earth reaches an EU group
    assert {"heavy-rare-earth-elements", "neodymium", "dysprosium"} <= set(f["on_both_via_group"])
    assert f["same_group_different_granularity"] == []
    for lst, size in (("US", 60), ("EU", 34)):
        assert sum(f["per_list"][lst].values()) == size
    added = f["added_2025"]
    assert len(added) == 10 and list(added.values()).count("on both lists") == 5
    assert f["dominates"] == ["china -> rare-earth-elements"]
    assert f["depends"] == ["eu -> china", "us -> china"]
    assert f["ree_entries"] == {"US": 16, "EU": 3}
    assert f["flat_comparison"] == {"both": 27, "only_a": 33, "only_b": 7}
    assert f["missing_via_groups"] == {"US": len(f["only_us"]), "EU": len(f["only_eu"]) + 3}
    assert f["supply_claims"] == {"all": 3, "dysprosium": 3}
    assert {
        "china-rare-earth-export-controls",
        "eu-us-draft-critical-minerals-deal",
        "rare-earth-pricing-system",
        "us-rare-earth-stockpile",
    } <= set(f["covering_dysprosium"])
    assert f["tensions_on_ree"] == sorted(
        r.start
        for r in curated.relations
        if r.type == "CONCERNS"
        and r.end == "rare-earth-elements"
        and curated.nodes[r.start].cls == "Tension"
    )
    money = f["money"]
    assert money["us-rare-earth-stockpile"] == {
        "status": "approved",
        "amount_usd": 12e9,
        "approximate": False,
        "attributed_to": [],
    }
    assert money["eu-critical-materials-stockpile"]["status"] == "planned"
    assert money["eu-critical-materials-stockpile"]["amount_usd"] is None
    assert money["eu-critical-materials-stockpile"]["attributed_to"] == ["reuters"]
    funding = money["eu-2026-critical-raw-materials-funding"]
    assert funding["amount_usd"] == 3.5e9 and funding["approximate"] is True
    assert f["deal_responds_to"] == {
        "eu-us-draft-critical-minerals-deal": ["china-rare-earth-chokehold"],
        "eu-us-draft-territorial-respect": ["greenland-dispute"],
    }
    assert f["deal_stages"] == {
        "eu-us-draft-joint-investment": ["mining", "refining"],
        "eu-us-draft-joint-mining-projects": ["mining"],
        "eu-us-draft-price-support": ["mining"],
    }
    assert f["deal_covers"]["eu-us-draft-no-export-bans"] == ["critical-minerals"]
    assert f["deal_roadmap_shared"] == ["ExclusiveTradeRoutes"]
    copper = f["copper_profile"]
    assert copper["lists"] == sorted(
        r.start for r in curated.relations if r.type == "LISTS" and r.end == "copper"
    )
    assert sorted(c["id"] for c in copper["covered_by"]) == sorted(
        r.start
        for r in curated.relations
        if r.type == "COVERS_MINERAL"
        and r.end == "copper"
        and "Provision" not in curated.nodes[r.start].labels
    )
    assert copper["dominated_by"] == []
    assert f["reuters_claims"] == [
        f"{state} LEADS eu-critical-materials-stockpile" for state in ("france", "germany", "italy")
    ]
    assert f["deal_chain"] == [
        "eu -> china via china-rare-earth-chokehold",
        "us -> china via china-rare-earth-chokehold",
    ]
    assert _has_chart(executed["03_supply_and_lists"], at_least=2)


@pytest.mark.slow
def test_semantic(executed: dict[str, Executed]) -> None:
    f = executed["04_semantic"].findings()
    assert f["cypher_equals_sparql"] == {
        "agreement_parties": True,
        "class_counts": True,
        "lists": True,
        "evidence": True,
    }
    assert f["round_trip"] is True
    assert f["uk_us_mou_parties_sparql"] == ["uk", "us"]
    assert f["on_both_lists"] == 27 and f["copper_on_both"] is True
    assert f["ontology_classes"] > 50 and f["object_properties"] > 30
    assert f["class_counts"]["Agreement"] >= 9


def _has_chart(run: Executed, at_least: int = 1) -> bool:
    pngs = [o for o in run.outputs() if o.output_type == "display_data" and "image/png" in o.data]
    return len(pngs) >= at_least


def _ends(curated: Dataset, rel_type: str) -> dict[str, set[str]]:
    """For one relationship type: actor id -> the ids it points to (from the validated YAML)."""
    out: dict[str, set[str]] = {}
    for r in curated.relations:
        if r.type == rel_type:
            out.setdefault(r.end if rel_type == "INVOLVES" else r.start, set()).add(
                r.start if rel_type == "INVOLVES" else r.end
            )
    return out


DATE_PROPS = ("proposedOn", "announcedOn", "signedOn", "adoptedOn", "inForceFrom", "startedOn",
              "suspendedOn", "endedOn")  # fmt: skip
POLITIES = {"State", "SupranationalUnion", "IntergovernmentalOrganisation", "Territory"}


def _first_date(node: Any) -> str | None:
    dates = [str(node.props[p]) for p in DATE_PROPS if node.props.get(p)]
    dates += [str(step.date) for step in node.history]
    return min(dates) if dates else None


def _eu_years(curated: Dataset) -> dict[str, str | None]:
    """partnerships_by_year for the EU, recomputed from the YAML: agreement -> year or None."""
    actors = {n.id for n in curated.nodes.values() if "Actor" in n.labels and n.cls != "Person"}
    sides: dict[str, set[str]] = {}
    for r in curated.relations:
        if r.type in {"PARTY_TO", "SIGNED"} and r.start in actors:
            sides.setdefault(r.end, set()).add(r.start)
    years: dict[str, str | None] = {}
    for g, who in sides.items():
        if "eu" not in who or not who - {"eu"}:
            continue
        node = curated.nodes[g]
        steps = [str(s.date) for s in node.history if s.status in {"signed", "adopted"}]
        concluded = (
            min(steps) if steps else node.props.get("signedOn") or node.props.get("adoptedOn")
        )
        contested = {
            str(v.value)[:4]
            for c in node.contested
            if c.property in {"signedOn", "adoptedOn"}
            for v in c.versions
        }
        if concluded:
            years[g] = str(concluded)[:4]
        else:
            years[g] = contested.pop() if len(contested) == 1 else None
    return years


@pytest.mark.slow
def test_the_field(executed: dict[str, Executed], curated: Dataset) -> None:
    f = executed["05_the_field"].findings()
    items = [n for n in curated.nodes.values() if {"Agreement", "PolicyInstrument"} & set(n.labels)]
    firsts = {n.id: _first_date(n) for n in items}
    in_window = {i: d for i, d in firsts.items() if d and 2019 <= int(d[:4]) <= 2026}
    # (a) the timeline
    assert f["items"] == len(items)
    assert f["timeline_dated_2019_2026"] == len(in_window)
    assert f["timeline_undated"] == sum(d is None for d in firsts.values())
    assert f["timeline_by_year"] == {
        y: n for y, n in sorted(Counter(d[:4] for d in in_window.values()).items())
    }
    assert sum(f["timeline_by_lane"].values()) == len(in_window)
    assert set(f["timeline_lane_of"]) == set(in_window)
    assert f["timeline_single_source"] == sum(
        curated.nodes[i].props["sourceCount"] == 1 for i in in_window
    )
    lane_of = f["timeline_lane_of"]
    china = {r.end for r in curated.relations if r.type == "IMPOSED" and r.start == "china"}
    assert all(lane_of[c] == "China" for c in china if c in lane_of)
    parties = _ends(curated, "PARTY_TO")
    for g in parties["eu"] & {
        i for i in in_window if curated.nodes[i].cls == "MemorandumOfUnderstanding"
    }:
        party_set = {a for a, gs in parties.items() if g in gs and curated.nodes[a].cls in POLITIES}
        if "us" not in party_set and len(party_set) < 4:
            assert lane_of[g] == "EU", g
    assert (
        lane_of.get("g7-critical-minerals-action-plan") == "Plurilateral (G7, NATO, Quad, MSP, …)"
    )
    # (b) who partners with whom
    polity_parties: dict[str, set[str]] = {}
    for r in curated.relations:
        if (
            r.type in {"PARTY_TO", "SIGNED"}
            and POLITIES & set(curated.nodes[r.start].labels)
            and "Agreement" in curated.nodes[r.end].labels
        ):
            polity_parties.setdefault(r.end, set()).add(r.start)
    per_polity = Counter(p for ps in polity_parties.values() for p in ps)
    links = {frozenset((a, b)) for ps in polity_parties.values() for a in ps for b in ps if a < b}
    assert f["network_polities"] == len(per_polity)
    assert f["network_links"] == len(links)
    top = sorted(per_polity.items(), key=lambda kv: -kv[1])[:5]
    assert [n for _, n in f["network_top"]] == [n for _, n in top]
    assert {"eu", "us"} <= {p for p, _ in f["network_top"][:2]}
    shared = Counter(
        frozenset((a, b)) for ps in polity_parties.values() for a in ps for b in ps if a < b
    )
    best = max(shared.values())
    assert f["network_strongest_pair"][2] == best
    assert shared[frozenset(f["network_strongest_pair"][:2])] == best

    def partners(p: str) -> set[str]:
        return {q for ps in polity_parties.values() if p in ps for q in ps} - {p}

    assert f["eu_partners"] == sorted(partners("eu"))
    assert f["us_partners"] == sorted(partners("us"))
    assert f["partners_of_both"] == sorted(partners("eu") & partners("us") - {"eu", "us"})
    # (c) the EU's partnerships by year
    years = _eu_years(curated)
    assert f["eu_partnerships_per_year"] == dict(
        sorted(Counter(y for y in years.values() if y).items())
    )
    assert f["eu_partnerships_without_year"] == sum(y is None for y in years.values())
    bilateral = sorted(p for ps in f["eu_bilateral_partners_by_year"].values() for p in ps)
    assert len(bilateral) == len(set(bilateral))
    assert {"ukraine", "chile", "serbia", "australia"} <= set(bilateral)  # the prose names them
    # (d) China's export controls
    for mineral, controls in f["export_controls"].items():
        targets = {mineral}
        for _ in range(2):
            targets |= {
                r.end for r in curated.relations if r.type == "BROADER" and r.start in targets
            }
        expected = {
            r.start
            for r in curated.relations
            if r.type == "TARGETS"
            and r.end in targets
            and curated.nodes[r.start].cls == "ExportControl"
        }
        assert set(controls) == expected, mineral
    assert f["export_controls"]["gallium"][0] == "china-gallium-germanium-export-controls-2023"
    china_years = Counter(firsts[c][:4] for c in china if firsts.get(c))
    assert f["china_controls_by_year"] == dict(sorted(china_years.items()))
    assert f["china_controls_suspended"] == sorted(
        c for c in china if curated.nodes[c].props.get("status") == "suspended"
    )
    # (e) where sources disagree
    contested = [
        (n.id, c.property, len(c.versions)) for n in curated.nodes.values() for c in n.contested
    ]
    assert f["contested_properties"] == len(contested)
    assert f["contested_entities"] == len({e for e, _, _ in contested})
    assert f["contested_three_or_more"] == sorted(f"{e}.{p}" for e, p, k in contested if k >= 3)
    assert sum(f["contested_by_kind"].values()) == len(contested)
    assert _has_chart(executed["05_the_field"], at_least=4)
