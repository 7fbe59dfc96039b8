"""Spot checks that named facts of the two articles are in the curated data, with evidence."""

from __future__ import annotations

from pathlib import Path

from mineralkg.loaders.dataset import Dataset, Relation, fold, load_dataset
from mineralkg.settings import get_settings

FP = "fp-2026-02-26"
CRYPTO = "cryptopolitan-2026-02-03"


def rels(
    data: Dataset, rtype: str, *, start: str | None = None, end: str | None = None
) -> list[Relation]:
    return [
        r
        for r in data.relations
        if r.type == rtype and (start is None or r.start == start) and (end is None or r.end == end)
    ]


def test_the_curated_data_validates(curated: Dataset) -> None:
    assert len(curated.nodes) > 150 and len(curated.relations) > 300
    if get_settings().sources_dir.is_dir():
        assert not curated.warnings, curated.warnings
    else:  # every quote went unchecked, and the warnings say so
        assert curated.warnings and all("not found" in w for w in curated.warnings)


def test_every_curated_quote_is_in_its_captured_text(captured_texts: Path) -> None:
    dataset = load_dataset(get_settings().data_dir, captured_texts)
    assert not dataset.warnings, dataset.warnings


def test_every_fact_names_a_source(curated: Dataset) -> None:
    for node in curated.nodes.values():
        assert node.sources, node.id
    for rel in curated.relations:
        assert rel.sources, rel.key


def test_uk_and_us_are_the_parties_to_their_mou(curated: Dataset) -> None:
    parties = {r.start for r in rels(curated, "PARTY_TO", end="uk-us-critical-minerals-mou")}
    assert parties == {"uk", "us"}
    assert curated.nodes["uk-us-critical-minerals-mou"].props["status"] == "signed"


def test_eu_stockpile_leaders_are_attributed_to_reuters(curated: Dataset) -> None:
    leads = rels(curated, "LEADS", end="eu-critical-materials-stockpile")
    assert {r.start for r in leads} == {"italy", "france", "germany"}
    for rel in leads:
        assert {e.attributedTo for e in rel.evidence} == {"reuters"}, "a report, not a fact"


def test_the_figures_of_the_articles(curated: Dataset) -> None:
    n = curated.nodes
    assert n["us-critical-minerals-list"].props["memberCount"] == 60
    assert n["us-critical-minerals-list"].props["countApproximate"] is True
    assert n["eu-critical-raw-materials-list"].props["memberCount"] == 34
    ministerial = n["critical-minerals-ministerial-2026"].props
    assert ministerial["delegationCount"] == 55
    assert ministerial["signatoryCount"] == 11
    assert ministerial["countriesMoreThan"] == 50
    assert n["eu-raw-materials-partnerships-2021-2025"].props["partnerCount"] == 14
    assert float(n["us-rare-earth-stockpile"].props["amountUSD"]) == 12e9
    funding = n["eu-2026-critical-raw-materials-funding"].props
    assert float(funding["amountUSD"]) == 3.5e9 and funding["amountApproximate"] is True
    assert n["eu-us-strategic-partnership-roadmap"].props["targetDuration"] == "P3M"


def test_list_membership_matches_the_counts(curated: Dataset) -> None:
    assert len(rels(curated, "LISTS", start="eu-critical-raw-materials-list")) == 34
    assert len(rels(curated, "LISTS", start="us-critical-minerals-list")) == 60
    for listing in ("eu-critical-raw-materials-list", "us-critical-minerals-list"):
        assert rels(curated, "LISTS", start=listing, end="copper")


def test_relative_dates_are_resolved_and_explained(curated: Dataset) -> None:
    funding = curated.nodes["eu-2026-critical-raw-materials-funding"].props
    assert funding["announcedOn"] == "2025-12"  # "Last December", in February 2026
    assert "December" in funding["note"]
    (adopted,) = rels(curated, "ADOPTED", end="us-rare-earth-stockpile")
    assert adopted.props["adoptedOn"] == "2026-02-02"  # "On Monday", in a Tuesday article
    assert "Monday" in adopted.props["note"]


def test_greenland_belongs_to_denmark_which_is_in_the_eu(curated: Dataset) -> None:
    assert rels(curated, "SOVEREIGN_OVER", start="denmark", end="greenland")
    assert rels(curated, "MEMBER_OF", start="denmark", end="eu")
    tension = curated.nodes["greenland-dispute"]
    assert tension.props["tensionKind"] == "territorial"
    involved = {r.end for r in rels(curated, "INVOLVES", start="greenland-dispute")}
    assert {"us", "denmark"} <= involved


def test_china_dominates_rare_earth_supply(curated: Dataset) -> None:
    (rel,) = rels(curated, "DOMINATES_SUPPLY_OF", start="china", end="rare-earth-elements")
    assert any("overwhelmingly dominates" in (e.quote or "") for e in rel.evidence)


def test_people_are_quoted_verbatim_with_affiliations(
    curated: Dataset, captured_texts: Path
) -> None:
    text = fold(
        (captured_texts / "2026-02-26_us-europe-critical-mineral-partnerships.txt").read_text()
    )
    said = {r.end: r.start for r in rels(curated, "SAID")}
    moerenhout = [n for n, who in said.items() if who == "tom-moerenhout"]
    assert len(moerenhout) >= 4
    for statement_id in moerenhout:
        assert fold(curated.nodes[statement_id].props["quote"]) in text
    affiliations = {r.end for r in rels(curated, "AFFILIATED_WITH", start="cullen-hendrix")}
    assert "peterson-institute" in affiliations
    assert rels(curated, "LEADS", start="tom-moerenhout", end="critical-materials-initiative")


def test_the_draft_deal_has_its_provisions(curated: Dataset) -> None:
    provisions = {
        curated.nodes[r.end].cls
        for r in rels(curated, "HAS_PROVISION", start="eu-us-draft-critical-minerals-deal")
    }
    assert {
        "SupplyChainCooperation",
        "ExclusiveTradeRoutes",
        "JointInvestment",
        "NoExportBan",
        "ResearchProgramme",
        "InformationSharing",
        "EmergencyPlanning",
        "OutsideSupplierRules",
        "TerritorialRespect",
        "StockpilingProvision",
        "PriceSupport",
    } <= provisions
    assert CRYPTO in curated.nodes["eu-us-draft-critical-minerals-deal"].sources


def test_both_articles_are_sources(curated: Dataset) -> None:
    for source in (FP, CRYPTO):
        node = curated.nodes[source]
        assert node.cls == "Article" and node.props["localCopy"]
    used = {s for n in curated.nodes.values() for s in n.sources} | {
        s for r in curated.relations for s in r.sources
    }
    assert {FP, CRYPTO} <= used
