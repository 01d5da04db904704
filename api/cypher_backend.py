"""The Bolt database behind POST /cypher (`CypherBackend`): a synchronous driver for loads, the
async driver in an event loop thread of its own for queries (a query past its deadline is
cancelled), the classification of driver errors into HTTP statuses (`QueryFailed`), keeping the
database loaded with the current build, and which backend an app uses (`attach`, `backend`,
`start_backend`)."""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request

from ..graph.neo4j_connection import bundled_dir, is_connection_error
from ..graph.neo4j_writer import LoadError, load_build
from ..graph.store import NoBuildError, current_build
from ..settings import get_settings
from .cypher_collector import END_NODES, MAX_END_FETCH, _Collector

log = logging.getLogger("govkg.cypher")


class QueryFailed(Exception):
    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.extra = extra


_DOWN_MESSAGE = ("the graph database is not reachable ({detail}); the rest of govkg keeps working. "
                 "Check NEO4J_URI or restart `govkg serve`")


def _classify(exc: BaseException, timeout_s: float) -> QueryFailed:
    from neo4j import exceptions as ex

    if is_connection_error(exc) or isinstance(exc, ex.DriverError) and not isinstance(exc, ex.ResultError):
        return QueryFailed(503, _DOWN_MESSAGE.format(detail=f"{type(exc).__name__}: {exc}"))
    if isinstance(exc, ex.Neo4jError):
        code = exc.code or ""
        message = exc.message or str(exc)
        if "TransactionTimedOut" in code or "Timeout" in code or "timed out" in message.lower():
            return QueryFailed(504, f"the query hit the time limit of {timeout_s:g} s and was stopped",
                               timeout=True, time_limit_s=timeout_s)
        if "AccessMode" in code or "Forbidden" in code or isinstance(exc, ex.Forbidden):
            return QueryFailed(403, f"refused by the database: {message}")
        if "DatabaseNotFound" in code or "DatabaseUnavailable" in code:
            return QueryFailed(503, _DOWN_MESSAGE.format(detail=message))
        if "Security" in code:
            return QueryFailed(503, _DOWN_MESSAGE.format(detail=f"authentication failed: {message}"))
        if isinstance(exc, (ex.ClientError,)):
            return QueryFailed(400, message, code=code)
        return QueryFailed(400 if "Statement" in code else 502, message, code=code)
    if isinstance(exc, (OverflowError, UnicodeError, ValueError, TypeError)):  # the driver cannot encode it
        return QueryFailed(400, f"the query or its parameters cannot be sent to the database ({type(exc).__name__}: "
                                "integers must fit in 64 bits and text must be valid Unicode)")
    return QueryFailed(500, "internal error")


@dataclass
class CypherBackend:
    """A Bolt database the endpoint queries, and (optionally) keeps loaded with the current build."""

    uri: str
    auth: tuple[str, str]
    database: str
    autoload: bool = True
    server: Any = None              # the bundled BoltServer this backend owns, if any
    error: str | None = None        # why it is unavailable (startup failed)
    load_batch_size: int = 1000
    _driver: Any = field(default=None, repr=False)
    _async_driver: Any = field(default=None, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    last_load: Any = None
    last_load_error: str | None = None

    @classmethod
    def unavailable(cls, reason: str) -> "CypherBackend":
        return cls(uri="", auth=("", ""), database="", autoload=False, error=reason)

    @classmethod
    def from_settings(cls, settings, autoload: bool = True) -> "CypherBackend | None":
        """The NEO4J_URI server of `settings` (govkg.settings.Settings); None when none is set."""
        if not settings.neo4j_uri:
            return None
        return cls(settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password or ""),
                   settings.neo4j_database, autoload=autoload)

    # -- drivers ---------------------------------------------------------------------------
    @property
    def driver(self):
        """A synchronous driver (loads, admin)."""
        with self._lock:
            if self._driver is None:
                import neo4j

                self._driver = neo4j.GraphDatabase.driver(self.uri, auth=self.auth, connection_timeout=5.0,
                                                          max_transaction_retry_time=5.0)
            return self._driver

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        """Queries run on the async driver in this backend's own event loop thread, so that a
        query past its deadline is cancelled (the driver then closes its connection)."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="govkg-cypher", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def _adriver(self):
        if self._async_driver is None:
            import neo4j

            self._async_driver = neo4j.AsyncGraphDatabase.driver(
                self.uri, auth=self.auth, connection_timeout=5.0, connection_acquisition_timeout=10.0)
        return self._async_driver

    async def _query(self, text: str, parameters: dict, timeout_s: float, max_rows: int) -> dict:
        import neo4j

        driver = await self._adriver()
        collector = _Collector()
        rows: list[list[Any]] = []
        truncated = False
        async with driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                  fetch_size=min(max(max_rows + 1, 1), 1000)) as session:
            result = await session.run(neo4j.Query(text, timeout=timeout_s), parameters)
            columns = list(result.keys())
            async for record in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([collector.value(v) for v in record.values()])
            missing = collector.missing_ends()
            if missing and len(missing) <= MAX_END_FETCH:  # edges returned without their end nodes
                try:
                    ends = await session.run(neo4j.Query(END_NODES, timeout=timeout_s), {"ids": missing})
                    async for record in ends:
                        collector.value(record["n"])
                except neo4j.exceptions.Neo4jError:
                    pass  # ends stay as element ids
        return {"columns": columns, "rows": rows, "graph": collector.finish(), "truncated": truncated}

    def query(self, text: str, parameters: dict | None, timeout_s: float, max_rows: int) -> dict:
        """Run a read query; raises QueryFailed (status + message)."""
        if self.error:
            raise QueryFailed(503, self.error)
        loop = self._ensure_loop()
        future = asyncio.run_coroutine_threadsafe(
            self._query(text, dict(parameters or {}), timeout_s, max_rows), loop)
        try:
            return future.result(timeout=timeout_s + 0.5)
        except FutureTimeout:
            future.cancel()
            raise QueryFailed(504, f"the query hit the time limit of {timeout_s:g} s and was stopped",
                              timeout=True, time_limit_s=timeout_s) from None
        except QueryFailed:
            raise
        except Exception as exc:
            raise _classify(exc, timeout_s) from exc

    # -- loading ---------------------------------------------------------------------------
    def ensure_loaded(self, state) -> None:
        """Load the current build if this backend autoloads and has not loaded it yet."""
        if not self.autoload or self.error:
            return
        try:
            build = state.build()
        except NoBuildError:
            return
        per_build = state.per_build
        if per_build.get("neo4j_loaded") == build.path.name:
            return
        with self.load_lock:
            if per_build.get("neo4j_loaded") == build.path.name:
                return
            try:
                self.load(build)
            except QueryFailed:
                raise
            except Exception as exc:  # a loader bug must not take the endpoint down: serve what is loaded
                log.exception("graph load of build %s failed", build.path.name)
                self.last_load_error = f"{type(exc).__name__}: {exc}"
            per_build["neo4j_loaded"] = build.path.name

    def load(self, build):
        try:
            report = load_build(self.driver, self.database, build, batch_size=self.load_batch_size)
        except LoadError as exc:
            self.last_load_error = str(exc)
            raise QueryFailed(503, _DOWN_MESSAGE.format(detail=f"loading the build failed: {exc}")) from exc
        self.last_load, self.last_load_error = report, None
        if report.failed:
            log.warning("graph load: %d documents failed: %s", len(report.failed), report.failed)
        log.info("graph load into %s: %s", self.database, report.summary())
        return report

    def close(self) -> None:
        if self._loop is not None:
            if self._async_driver is not None:
                try:
                    asyncio.run_coroutine_threadsafe(self._async_driver.close(), self._loop).result(timeout=10)
                except Exception:
                    pass
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._loop = None
        if self._driver is not None:
            try:
                self._driver.close()
            except Exception:
                pass
            self._driver = None
        if self.server is not None:
            self.server.stop()


def attach(app: FastAPI, backend: CypherBackend | None) -> None:
    """Serve /cypher of `app` from `backend` (None: /cypher answers 503)."""
    app.state.cypher_backend = backend
    app.state.cypher_attached = True


def backend(request: Request) -> CypherBackend | None:
    app_state = request.app.state
    if not getattr(app_state, "cypher_attached", False):
        with _ATTACH_LOCK:
            if not getattr(app_state, "cypher_attached", False):
                try:
                    attach(request.app, CypherBackend.from_settings(get_settings()))
                except Exception as exc:  # bad settings: report, do not crash the app
                    attach(request.app, CypherBackend.unavailable(f"the NEO4J_* settings are invalid: {exc}"))
    return getattr(app_state, "cypher_backend", None)


_ATTACH_LOCK = threading.Lock()


def start_backend(data_dir: Path, cypher_timeout_s: float, settings, *, load: bool = True,
                  say=print, server_options: dict | None = None) -> CypherBackend:
    """For `govkg serve`: the NEO4J_URI server when configured, else the bundled ArcadeDB server
    started on DATA_DIR/arcadedb (stopped by `backend.close()`); the current build is loaded.
    Never raises: a backend that failed to start answers 503 with the reason. `settings`: the
    NEO4J_* settings (govkg.settings.Settings) of the caller."""
    if settings.neo4j_uri:
        backend_ = CypherBackend.from_settings(settings)
        assert backend_ is not None
        say(f"cypher: {settings.neo4j_uri} database {settings.neo4j_database}")
    else:
        from ..graph.boltserver import BoltServer

        # ArcadeDB ignores the Bolt transaction timeout: bound every statement server-side
        server = BoltServer(bundled_dir(data_dir), database="govkg",
                            command_timeout_s=max(float(cypher_timeout_s) + 2.0, 5.0), **(server_options or {}))
        try:
            server.start()
        except Exception as exc:
            say(f"cypher: the bundled ArcadeDB server did not start: {exc}")
            return CypherBackend.unavailable(f"the bundled graph database did not start: {exc}")
        backend_ = CypherBackend(server.uri, server.auth, server.database, server=server)
        say(f"cypher: bundled ArcadeDB server {server.uri} (pid {server.pid}, data {server.data_dir})")
    if load:
        try:
            report = backend_.load(current_build(data_dir))
            say(f"cypher: {report.summary()}")
        except NoBuildError:
            pass
        except QueryFailed as exc:
            say(f"cypher: {exc}")
    return backend_
