"""All settings in one place, read from MINERALKG_* environment variables or a .env file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINERALKG_", env_file=".env", extra="ignore")

    data_dir: Path = ROOT / "data"
    """Folder of curated YAML files."""
    sources_dir: Path = ROOT.parent / "shared" / "sources"
    """Folder of captured source texts that quotes are checked against."""
    var_dir: Path = ROOT / "var"
    """Folder for generated files: the embedded graph, exports, screenshots."""

    store: Literal["embedded", "neo4j"] = "embedded"
    graph_name: str = "mineralkg"
    """Graph (FalkorDB) or database (Neo4j, empty for the server's default) to use."""
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = ""

    query_timeout: float = 5.0
    """Seconds an ad-hoc or catalogue query may run."""
    row_limit: int = 1000
    """Most rows a query answer holds: a CLI answer, a download, a page of the API."""
    page_size: int = Field(default=100, ge=1)
    """Rows in a page of the API when the request gives no `limit` (Datasette's default);
    `limit` asks for up to `row_limit`. A download (`format=csv|tsv`, `download=true`) holds
    `row_limit` rows unless `limit` says otherwise."""
    cypher_concurrency: int = Field(default=2, ge=1)
    """Ad-hoc `/cypher` reads that run at once (at most the store's cores less one, where
    known: `Lanes.of`); beyond it a 429 with Retry-After. Catalogue, entity and view reads
    have their own threads, so a full ad-hoc lane never delays them."""
    adhoc_twin: bool = True
    """Embedded store: ad-hoc reads (`/cypher`, `/view/cypher`, `/paths`) run on a copy of the
    graph in a second FalkorDB server at the lowest CPU priority, killed when a read overruns
    its deadline (graph/adhoc_twin.py); it holds a second copy of the graph in memory."""
    adhoc_memory_bytes: int = Field(default=1_000_000_000, ge=10_000_000)
    """Embedded store, with the twin: what one ad-hoc read may add to the twin server's memory
    before the server is killed and the read answered 413."""
    cypher_per_client: int = Field(default=1, ge=1)
    """Ad-hoc reads one client (address) may run at once, so one client cannot fill the lane."""
    result_limit_bytes: int = Field(default=8_000_000, ge=1_000)
    """Most bytes of JSON rows one query answer carries; rows beyond are cut (`truncated`).
    The embedded store refuses (413) an answer over four times this (graph/reply_limit.py)."""
    export_limit_bytes: int = Field(default=1_000_000_000, ge=1_000)
    """Largest RDF file `/export` writes (kept per graph version under var/cache/export); a
    larger one is a 413."""
    body_limit_bytes: int = Field(default=100_000, ge=1_000)
    """Largest request body the API reads; a larger one is a 413 before it is read whole."""
    cors_origins: str = ""
    """Comma-separated origins allowed to call the API from a browser (`*` for any); empty:
    no CORS headers, browsers keep other sites' pages out."""
    cache_ttl: float = 1.0
    """Seconds a cached catalogue answer may outlive a load (0 turns the cache off)."""
    batch_size: int = 1000
    """Rows per UNWIND batch (Neo4j) or bulk block (embedded) when loading."""
    load_workers: int = Field(default=0, ge=0)
    """Processes that build the rows of an embedded load; 0: for 20,000 rows or more one per
    CPU but one on machines with four CPUs or more, none below (graph/bulk_workers.py)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    """Server processes for `mineralkg serve` (each opens its own connection to the store)."""
    access_log: bool = False
    """`mineralkg serve` logs a line per request; off by default: the line costs about 70 us of
    server CPU, almost half of what a cached answer costs (docs/benchmarks.md)."""


@cache
def get_settings() -> Settings:
    return Settings()
