"""The bundled Bolt server: ArcadeDB from the `arcadedb-embedded` wheel, run as a child process.

The wheel ships a JRE (`jre/bin/java`) and the ArcadeDB server jars (`jars/`), so no Neo4j and no
system Java are needed. `BoltServer(data_dir).start()` runs

    java -cp 'jars/*' -Darcadedb.server.rootPath=DATA ... com.arcadedb.server.ArcadeDBServer

with the Bolt plugin on a free 127.0.0.1 port (HTTP too, for database administration), waits
until a Bolt client can `RETURN 1` against its database and returns. Everything it stores lives
under the data folder; the root password is kept in DATA/.govkg-root-password (mode 600) so a
server restarted on the same folder accepts the same credentials.

ArcadeDB differences from Neo4j that matter here (see docs/neo4j.md):
  * it ignores the Bolt transaction timeout; `command_timeout_s` sets the server-wide
    `arcadedb.command.timeout`, which aborts any statement running longer;
  * it does not enforce READ access mode on sessions (writes succeed in a READ session);
  * a database must exist before a session can use it (`new_database`).
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
PASSWORD_FILE = ".govkg-root-password"
LOG_FILE = "server.log"
QUICK_START_JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


class BoltServerError(RuntimeError):
    pass


def arcadedb_home() -> Path:
    """The installed arcadedb_embedded package folder (holds jre/ and jars/)."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("arcadedb_embedded")
    except (ImportError, ValueError) as exc:  # pragma: no cover
        raise BoltServerError(f"arcadedb-embedded is not installed: {exc}") from exc
    if spec is None or not spec.origin:
        raise BoltServerError("arcadedb-embedded is not installed: pip install arcadedb-embedded")
    return Path(spec.origin).resolve().parent


def java_and_jars() -> tuple[Path, Path]:
    home = arcadedb_home()
    java = home / "jre" / "bin" / ("java.exe" if sys.platform == "win32" else "java")
    jars = home / "jars"
    if not java.is_file():
        raise BoltServerError(f"no bundled Java runtime at {java}")
    if not any(jars.glob("arcadedb-server-*.jar")) or not any(jars.glob("arcadedb-bolt-*.jar")):
        raise BoltServerError(f"no ArcadeDB server/Bolt jars in {jars}")
    return java, jars


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server gets SIGTERM when the thread that started it dies (even by SIGKILL of
    the whole process), so a killed `govkg serve` leaves no server holding the data folder."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class BoltServer:
    """An ArcadeDB server with the Bolt plugin, started as a child process.

    `jvm_args` are passed to java (tests use QUICK_START_JVM: faster start, slower peak).

        with BoltServer(tmp_path / "arcadedb", database="govkg") as server:
            driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
    """

    user = "root"

    def __init__(self, data_dir: Path | str, *, database: str = "govkg", password: str | None = None,
                 host: str = "127.0.0.1", bolt_port: int | None = None, http_port: int | None = None,
                 command_timeout_s: float | None = None, heap: str | None = None,
                 startup_timeout_s: float = 90.0, extra_settings: dict[str, object] | None = None,
                 jvm_args: list[str] | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.database = database
        self.host = host
        self._bolt_port = bolt_port
        self._http_port = http_port
        self.bolt_port = 0
        self.http_port = 0
        self.command_timeout_s = command_timeout_s
        self.heap = heap
        self.startup_timeout_s = startup_timeout_s
        self.extra_settings = dict(extra_settings or {})
        self.jvm_args = list(jvm_args or [])
        self._password = password
        self.process: subprocess.Popen | None = None
        self._log = None

    # -- properties ----------------------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def password(self) -> str:
        if self._password is None:
            self._password = self._stored_password()
        return self._password

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_FILE

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _stored_password(self) -> str:
        path = self.data_dir / PASSWORD_FILE
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(18)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(password)
        return password

    # -- lifecycle -----------------------------------------------------------------------------
    def command(self) -> list[str]:
        java, jars = java_and_jars()
        root = self.data_dir
        settings: dict[str, object] = {
            "arcadedb.server.rootPath": root,
            "arcadedb.server.databaseDirectory": root / "databases",
            "arcadedb.server.rootPassword": self.password,
            "arcadedb.server.plugins": BOLT_PLUGIN,
            "arcadedb.server.defaultDatabases": f"{self.database}[root]",
            "arcadedb.server.mode": "development",
            "arcadedb.bolt.host": self.host,
            "arcadedb.bolt.port": self.bolt_port,
            "arcadedb.server.httpIncomingHost": self.host,
            "arcadedb.server.httpIncomingPort": self.http_port,
        }
        if self.command_timeout_s:
            settings["arcadedb.command.timeout"] = int(self.command_timeout_s * 1000)
        settings.update(self.extra_settings)
        args = [str(java)]
        if self.heap:
            args.append(f"-Xmx{self.heap}")
        args += self.jvm_args
        args += ["-cp", str(jars / "*")]
        args += [f"-D{key}={value}" for key, value in settings.items()]
        args.append(MAIN_CLASS)
        return args

    def start(self) -> "BoltServer":
        if self.running():
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.bolt_port = self._bolt_port or free_port(self.host)
        self.http_port = self._http_port or free_port(self.host)
        if self.http_port == self.bolt_port:
            self.http_port = free_port(self.host)
        self._log = open(self.log_path, "ab")
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["process_group"] = 0  # ^C in a terminal reaches govkg, which stops the server in order
            # PR_SET_PDEATHSIG follows the starting THREAD: only tie the server to the main thread
            if sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread():
                kwargs["preexec_fn"] = _die_with_parent
        self.process = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, cwd=self.data_dir, **kwargs)
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        stage = "Bolt port"
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BoltServerError(f"ArcadeDB server exited with code {self.process.returncode} "
                                      f"during startup:\n{self.log_tail()}")
            try:
                if stage == "Bolt port":
                    if _port_open(self.host, self.bolt_port):
                        stage = "HTTP ready"
                        continue
                elif stage == "HTTP ready":
                    if self._http("GET", "/api/v1/ready", expect_json=False) is not None:
                        stage = "Bolt query"
                        continue
                else:
                    self._bolt_ping()
                    return
            except Exception as exc:  # not up yet
                last_error = exc
            time.sleep(0.1)
        raise BoltServerError(f"ArcadeDB server did not become ready ({stage}) within "
                              f"{self.startup_timeout_s:.0f} s: {last_error}\n{self.log_tail()}")

    def _bolt_ping(self, database: str | None = None) -> None:
        import neo4j

        with neo4j.GraphDatabase.driver(self.uri, auth=self.auth, connection_timeout=5) as driver:
            with driver.session(database=database or self.database) as session:
                session.run("RETURN 1 AS ok").consume()

    def _http(self, method: str, path: str, body: dict | None = None, expect_json: bool = True,
              timeout: float = 30.0):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.http_url + path, data=data, method=method)
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        if not expect_json:
            return payload if payload else b"ok"
        return json.loads(payload) if payload else {}

    def databases(self) -> list[str]:
        return list(self._http("GET", "/api/v1/databases").get("result", []))

    def new_database(self, name: str) -> str:
        """Create database `name` (if missing) and wait until Bolt sessions can use it."""
        if not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"invalid database name {name!r}")
        if name not in self.databases():
            try:
                self._http("POST", "/api/v1/server", {"command": f"create database {name}"})
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode("utf-8", "replace")
                if name not in self.databases():
                    raise BoltServerError(f"cannot create database {name!r}: {exc.code} {detail}") from exc
        self._bolt_ping(name)
        return name

    def stop(self, timeout: float = 30.0) -> None:
        """Stop gracefully (SIGTERM: ArcadeDB closes its databases), SIGKILL after `timeout`."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self._close_log()

    def kill(self) -> None:
        """SIGKILL, no shutdown: for fault tests (a server that dies mid-load)."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> "BoltServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self.running() else "stopped"
        return f"BoltServer({self.uri}, database={self.database!r}, {state})"
