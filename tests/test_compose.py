"""docker-compose.yml and the Dockerfile agree with the code (no Docker needed)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from govkg.settings import Settings, env_names

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_parses_with_neo4j_and_govkg():
    services = compose()["services"]
    assert set(services) == {"neo4j", "govkg"}
    neo4j = services["neo4j"]
    assert re.fullmatch(r"neo4j:5(\.[\d.]+)?", neo4j["image"])
    assert "NEO4J_AUTH" in neo4j["environment"]
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "RETURN 1" in " ".join(neo4j["healthcheck"]["test"])
    govkg = services["govkg"]
    assert govkg["build"] == "."
    assert govkg["depends_on"] == {"neo4j": {"condition": "service_healthy"}}


def test_ports_are_local_and_there_is_no_default_password():
    services = compose()["services"]
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for use in re.findall(r"\$\{NEO4J_PASSWORD[^}]*\}", text):
        assert use.startswith("${NEO4J_PASSWORD:?"), use  # compose stops when it is unset


def test_govkg_environment_is_exactly_what_the_settings_read():
    environment = compose()["services"]["govkg"]["environment"]
    assert set(environment) == env_names() == {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                                              "GOVKG_BASE_IRI"}
    assert environment["NEO4J_URI"].startswith("bolt://neo4j:")
    # the values mean what the settings expect
    settings = Settings(**{k.lower(): v for k, v in environment.items()})
    assert settings.neo4j_uri == environment["NEO4J_URI"] and settings.neo4j_database == "neo4j"


def test_settings_come_from_env_and_dotenv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in env_names():
        monkeypatch.delenv(name, raising=False)
    assert Settings().neo4j_uri is None
    (tmp_path / ".env").write_text("NEO4J_URI=bolt://from-dotenv:7687\nNEO4J_PASSWORD=secret\n", encoding="utf-8")
    assert Settings().neo4j_uri == "bolt://from-dotenv:7687" and Settings().neo4j_password == "secret"
    monkeypatch.setenv("NEO4J_URI", "bolt://from-env:7687")
    assert Settings().neo4j_uri == "bolt://from-env:7687"  # the environment wins


def test_dockerfile_builds_loads_and_serves():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install ." in text
    assert "--neo4j" in text and "govkg serve /data --host 0.0.0.0" in text
    for folder in ("govkg", "graph", "loaders", "api", "ontology"):  # the package-dir of pyproject.toml
        assert f"COPY {folder} ./{folder}" in text
