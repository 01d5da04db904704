"""Where the property graph lives: a configured Neo4j / ArcadeDB server over Bolt, or the bundled
ArcadeDB server (graph/boltserver.py) on DATA_DIR/arcadedb; and which errors mean the connection was lost."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _connection_errors() -> tuple[type[BaseException], ...]:
    from neo4j import exceptions as ex

    errors: list[type[BaseException]] = [ex.ServiceUnavailable, ex.SessionExpired, OSError, ConnectionError]
    for name in ("IncompleteCommit", "BoltError", "SocketDeadlineExceededError"):
        if hasattr(ex, name):
            errors.append(getattr(ex, name))
    try:
        from neo4j._exceptions import BoltError, SocketDeadlineExceededError

        errors += [BoltError, SocketDeadlineExceededError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, _connection_errors())



@dataclass
class Target:
    """Where to load: a driver and database, plus the bundled server if one was started."""

    driver: Any
    database: str
    uri: str
    server: Any = None  # BoltServer when bundled

    @property
    def bundled(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        try:
            self.driver.close()
        finally:
            if self.server is not None:
                self.server.stop()


def bundled_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "arcadedb"


@contextmanager
def open_target(data_dir: Path, settings, *, uri: str | None = None, user: str | None = None,
                password: str | None = None, database: str | None = None,
                command_timeout_s: float | None = None) -> Iterator[Target]:
    """The configured server (NEO4J_URI, or the explicit arguments) or, when none is configured,
    the bundled ArcadeDB server on DATA_DIR/arcadedb, started for the duration.

    `settings`: the caller's settings (neo4j_uri, neo4j_user, neo4j_password, neo4j_database;
    govkg.settings.get_settings() in the CLI)."""
    import neo4j

    uri = uri or settings.neo4j_uri
    if uri:
        auth = (user or settings.neo4j_user, password if password is not None else (settings.neo4j_password or ""))
        driver = neo4j.GraphDatabase.driver(uri, auth=auth)
        target = Target(driver, database or settings.neo4j_database, uri)
    else:
        from .boltserver import BoltServer

        server = BoltServer(bundled_dir(data_dir), database=database or "govkg",
                            command_timeout_s=command_timeout_s).start()
        driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)
        target = Target(driver, server.database, server.uri, server)
    try:
        yield target
    finally:
        target.close()
