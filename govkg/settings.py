"""Connection settings for the Neo4j (Bolt) projection, read from the environment and `.env`.

    NEO4J_URI        bolt://host:7687 or neo4j://host:7687; unset = no external server
                     (`govkg serve` then starts the bundled ArcadeDB Bolt server itself)
    NEO4J_USER       user name (default neo4j)
    NEO4J_PASSWORD   password
    NEO4J_DATABASE   database to load into and query (default neo4j)
    GOVKG_BASE_IRI   base of the RDF projection's IRIs (default https://govkg.example.org/id/)

Environment variables win over the `.env` file of the current directory. docker-compose.yml
sets exactly these names for the govkg service (tests/test_compose.py checks that).
"""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      case_sensitive=False)

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    govkg_base_iri: str | None = None  # the RDF projection's IRI base (graph/rdf_terms.py), default https://govkg.example.org/id/

    @property
    def neo4j_configured(self) -> bool:
        return bool(self.neo4j_uri)

    @property
    def neo4j_auth(self) -> tuple[str, str] | None:
        return (self.neo4j_user, self.neo4j_password or "") if self.neo4j_uri else None


def get_settings() -> Settings:
    """Fresh settings (not cached: tests change the environment)."""
    return Settings()


def env_names() -> set[str]:
    """The environment variable names the settings read."""
    return {name.upper() for name in Settings.model_fields}
