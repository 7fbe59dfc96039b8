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
    """Most rows an ad-hoc query returns."""
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
