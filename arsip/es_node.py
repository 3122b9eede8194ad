"""Manage a local, stock Elasticsearch node (download, configure, start, stop, status).

The distribution is Elastic's minimal ``integ-test-zip`` from Maven Central, fetched with ``mvn`` once
and cached in the data dir. Elasticsearch refuses to run as root, so when we are root (CI is) the node
runs as a dedicated unprivileged system user.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from arsip import es_security
from arsip.settings import Settings

ES_USER = "arsip-es"
MAVEN_GROUP = "org.elasticsearch.distribution.integ-test-zip"
JAVA_CANDIDATES = ("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/temurin-21-jdk-amd64")
MIN_JAVA = 21


class NodeError(RuntimeError):
    """A local node could not be installed, started or stopped; the message says why."""


@dataclass(frozen=True)
class NodeSpec:
    """One local node: its HTTP/transport ports and cluster membership."""

    name: str = "arsip-local"
    http_port: int = 9200
    transport_port: int = 9300
    cluster_name: str = "arsip-local"
    seed_ports: tuple[int, ...] = ()  # transport ports of all nodes; empty = single-node
    secure: bool = False  # TLS + users/API keys (arsip/es_security.py); single-node only

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://127.0.0.1:{self.http_port}"


class LocalNode:
    """A local Elasticsearch node living under ``settings.es_home``."""

    def __init__(self, settings: Settings, spec: NodeSpec | None = None) -> None:
        self.settings = settings
        self.spec = spec or NodeSpec(http_port=settings.es_port, transport_port=settings.es_port + 100)
        self.home = settings.es_home
        self.dist_dir = self.home / "dist" / f"elasticsearch-{settings.es_version}"
        self.node_dir = self.home / f"node-{self.spec.http_port}"
        self.pid_file = self.node_dir / "logs" / "es.pid"
        self.secure_env_file = self.node_dir / es_security.SECURE_ENV_FILE

    # ---------------------------------------------------------------- security
    @property
    def secure(self) -> bool:
        """Asked for, or the node was last configured secured (so `status`/`stop` need no flag)."""
        if self.spec.secure:
            return True
        try:
            text = (self.node_dir / "config" / "elasticsearch.yml").read_text(encoding="utf-8")
        except OSError:
            return False
        return "xpack.security.enabled: true" in text.splitlines()

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://127.0.0.1:{self.spec.http_port}"

    @property
    def ca_path(self) -> Path:
        return self.node_dir / "config" / es_security.CERTS_DIR / "ca" / "ca.crt"

    def _admin_auth(self) -> tuple[ssl.SSLContext | None, str | None]:
        """TLS context and Basic header for the node's own health calls (the ``elastic`` user)."""
        if not self.secure:
            return None, None
        try:
            password = (self.node_dir / es_security.PASSWORD_FILE).read_text(encoding="utf-8").strip()
            context = es_security.ssl_context(self.ca_path)
        except (OSError, ssl.SSLError):
            return None, None
        token = base64.b64encode(f"{es_security.ELASTIC_USER}:{password}".encode()).decode()
        return context, f"Basic {token}"

    def credentials(self) -> es_security.SecureCredentials:
        """Create or refresh the roles and API keys of a running secured node; write ``secure.env``."""
        password = es_security.elastic_password(self.node_dir)
        return es_security.provision(self.url, self.ca_path, password, self.secure_env_file)

    # ---------------------------------------------------------------- install
    def install(self) -> Path:
        """Download (once) and unpack the distribution; return its directory."""
        if (self.dist_dir / "bin" / "elasticsearch").exists():
            return self.dist_dir
        archive = self._download()
        target = self.dist_dir.parent
        target.mkdir(parents=True, exist_ok=True)
        tmp = target / f".unpack-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
        for path in (tmp / self.dist_dir.name / "bin").iterdir():
            path.chmod(0o755)
        jdk_bin = tmp / self.dist_dir.name / "jdk" / "bin"
        if jdk_bin.exists():
            for path in jdk_bin.iterdir():
                path.chmod(0o755)
        (tmp / self.dist_dir.name).rename(self.dist_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        return self.dist_dir

    def _download(self) -> Path:
        cache = self.home / "downloads"
        cache.mkdir(parents=True, exist_ok=True)
        version = self.settings.es_version
        archive = cache / f"elasticsearch-{version}.zip"
        if archive.exists() and zipfile.is_zipfile(archive):
            return archive
        if shutil.which("mvn") is None:
            raise NodeError(
                "Maven ('mvn') is needed to download Elasticsearch; install it (apt-get install maven)."
            )
        artifact = f"{MAVEN_GROUP}:elasticsearch:{version}:zip"
        print(f"Downloading Elasticsearch {version} from Maven Central ({artifact}) ...", flush=True)
        cmd = [
            "mvn",
            "-q",
            "-B",
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={cache}",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not archive.exists():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
            raise NodeError(f"Could not download {artifact} with Maven:\n{tail}")
        return archive

    # ------------------------------------------------------------- configure
    def _write_config(self) -> Path:
        conf = self.node_dir / "config"
        for sub in ("config", "data", "logs", "tmp"):
            (self.node_dir / sub).mkdir(parents=True, exist_ok=True)
        for src in (self.dist_dir / "config").iterdir():
            dst = conf / src.name
            if src.is_file() and src.name != "elasticsearch.yml" and not dst.exists():
                shutil.copy2(src, dst)
            elif src.is_dir() and not dst.exists():
                shutil.copytree(src, dst)
        lines = [
            "# Written by `arsip es start`; edits are overwritten.",
            f"cluster.name: {self.spec.cluster_name}",
            f"node.name: {self.spec.name}",
            "network.host: 127.0.0.1",
            f"http.port: {self.spec.http_port}",
            f"transport.port: {self.spec.transport_port}",
            f"path.data: {self.node_dir / 'data'}",
            f"path.logs: {self.node_dir / 'logs'}",
            "# Security is off on purpose: the node listens on loopback only. For a secured",
            "# cluster, point ARSIP_ES_URL at it (see README, 'Running in production').",
            "xpack.security.enabled: false",
            "xpack.security.http.ssl.enabled: false",
            "xpack.security.transport.ssl.enabled: false",
            "# A local dev node must not go read-only because the disk is fairly full.",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: true",
        ]
        if self.spec.secure:
            if self.spec.seed_ports:
                raise NodeError("A secured local node is single-node only (no transport TLS is set up).")
            # The lines above switch security off and a key may appear only once: replace them.
            lines = [line for line in lines if not line.startswith("xpack.security.")]
            lines = [line for line in lines if not line.startswith("# Security is off")]
            lines = [line for line in lines if not line.startswith("# cluster, point ARSIP_ES_URL")]
            lines += es_security.config_lines(self._security_files(conf))
        if self.spec.seed_ports:
            seeds = ", ".join(f'"127.0.0.1:{p}"' for p in self.spec.seed_ports)
            lines += [f"discovery.seed_hosts: [{seeds}]"]
            names = ", ".join(f'"{self.spec.cluster_name}-{i}"' for i in range(len(self.spec.seed_ports)))
            lines += [f"cluster.initial_master_nodes: [{names}]"]
        else:
            lines += ["discovery.type: single-node"]
        (conf / "elasticsearch.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return conf

    # ------------------------------------------------------------ lifecycle
    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def _security_files(self, conf: Path) -> dict[str, Path]:
        env = self._tool_env(conf)
        if os.geteuid() == 0:  # the tools refuse to rewrite files another user owns; start() chowns back
            subprocess.run(["chown", "-R", "0:0", str(conf)], check=True)
        try:
            paths = es_security.ensure_certificates(self.dist_dir, conf, env)
            es_security.ensure_keystore(self.dist_dir, env, es_security.elastic_password(self.node_dir))
            es_security.ensure_file_identities(
                self.dist_dir, env, self.spec.url, paths["ca"], self.secure_env_file
            )
        except es_security.SecurityError as exc:
            raise NodeError(str(exc)) from None
        return paths

    def _tool_env(self, conf: Path) -> dict[str, str]:
        """Environment for the distribution's command-line tools (certutil, keystore)."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.node_dir),
            "ES_JAVA_HOME": find_java_home(self.settings.java_home),
            "ES_PATH_CONF": str(conf),
            "ES_TMPDIR": str(self.node_dir / "tmp"),
            "LANG": "C.UTF-8",
        }

    def start(self, wait_s: float = 240.0) -> str:
        """Start the node (a no-op when it already runs) and return its URL once usable.

        A secured node (``NodeSpec(secure=True)``) also gets its roles and API keys, in ``secure.env``.
        """
        if self.spec.secure and not self.secure and self.pid() is not None:
            raise NodeError(f"An unsecured node runs on port {self.spec.http_port}; stop it first.")
        if self.pid() is not None and self.health(timeout=2.0) is not None:
            if self.spec.secure:
                self._provision()
            return self.url
        if _port_answers(self.url):
            raise NodeError(f"Something else already answers on {self.url}; stop it or set ARSIP_ES_PORT.")
        self.install()
        conf = self._write_config()
        java_home = find_java_home(self.settings.java_home)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.node_dir),
            "ES_JAVA_HOME": java_home,
            "ES_PATH_CONF": str(conf),
            "ES_TMPDIR": str(self.node_dir / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{self.settings.es_heap} -Xmx{self.settings.es_heap}",
            "LANG": "C.UTF-8",
        }
        cmd = [str(self.dist_dir / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        if os.geteuid() == 0:
            ensure_system_user(ES_USER)
            _chown_tree(self.node_dir, ES_USER)
            _make_traversable(self.node_dir, stop_at=self.settings.data_dir)
            cmd = ["runuser", "-u", ES_USER, "--", "env", *[f"{k}={v}" for k, v in env.items()], *cmd]
            run_env = None
        else:
            run_env = env
        self.pid_file.unlink(missing_ok=True)
        startup_log = self.node_dir / "logs" / "startup.out"
        with open(startup_log, "wb") as out:
            proc = subprocess.run(cmd, env=run_env, stdout=out, stderr=subprocess.STDOUT, check=False)
        if proc.returncode != 0:
            raise NodeError(
                f"Elasticsearch failed to start (exit {proc.returncode}). Last lines of {startup_log}:\n"
                + _tail(startup_log)
                + f"\nServer log: {self.node_dir / 'logs' / (self.spec.cluster_name + '.log')}"
            )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            health = self.health(timeout=2.0)
            if health and health.get("status") in ("yellow", "green"):
                if self.spec.secure:
                    self._provision()
                return self.url
            if self.pid() is None:
                break
            time.sleep(1.0)
        raise NodeError(
            f"Elasticsearch did not become healthy within {wait_s:.0f}s. See {self.node_dir / 'logs'}."
        )

    def stop(self, wait_s: float = 60.0) -> bool:
        """Stop the node cleanly (SIGTERM, then SIGKILL); True if one was running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.pid() is None:
                break
            time.sleep(0.5)
        else:
            os.kill(pid, signal.SIGKILL)
            time.sleep(1.0)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _provision(self) -> None:
        try:
            self.credentials()
        except Exception as exc:  # noqa: BLE001 - the client's errors carry no credentials, but say less
            raise NodeError(
                f"The secured node runs at {self.url} but its roles/API keys could not be set up "
                f"({type(exc).__name__}). See {self.node_dir / 'logs'}."
            ) from None

    def health(self, timeout: float = 5.0) -> dict | None:
        return _get_json(f"{self.url}/_cluster/health", timeout, *self._admin_auth())

    def status(self) -> dict:
        """Health and version of the node, or ``{"running": False}``."""
        health = self.health()
        if health is None:
            return {"running": False, "url": self.url, "pid": self.pid()}
        nodes = _get_json(f"{self.url}/_nodes/_local/info/process", 5.0, *self._admin_auth()) or {}
        version = next(iter(nodes.get("nodes", {}).values()), {}).get("version")
        extra = {"secure": True, "credentials": str(self.secure_env_file)} if self.secure else {}
        return {
            "running": True,
            "url": self.url,
            **extra,
            "pid": self.pid(),
            "status": health.get("status"),
            "cluster_name": health.get("cluster_name"),
            "number_of_nodes": health.get("number_of_nodes"),
            "version": version,
        }


def find_java_home(configured: str | None = None) -> str:
    """A Java ≥ 21 home: the configured one, a known Temurin, or JAVA_HOME."""
    candidates = [configured] if configured else []
    candidates += list(JAVA_CANDIDATES) + [os.environ.get("JAVA_HOME")]
    for home in filter(None, candidates):
        java = Path(home) / "bin" / "java"
        if java.exists() and _java_major(java) >= MIN_JAVA:
            return home
    raise NodeError(
        f"Elasticsearch needs Java ≥ {MIN_JAVA}. Install one (e.g. Temurin 25) and set ARSIP_JAVA_HOME."
    )


def _java_major(java: Path) -> int:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    for token in out.split():
        token = token.strip('"')
        if token[:1].isdigit():
            head = token.split(".")[0]
            return int(head) if head.isdigit() else 0
    return 0


def ensure_system_user(name: str) -> None:
    """Create an unprivileged system user (no login, no home) if it does not exist."""
    if subprocess.run(["id", "-u", name], capture_output=True).returncode == 0:
        return
    proc = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise NodeError(f"Could not create the system user {name!r}: {proc.stderr.strip()}")


def _chown_tree(path: Path, user: str) -> None:
    subprocess.run(["chown", "-R", f"{user}:", str(path)], check=True)


def _make_traversable(path: Path, stop_at: Path) -> None:
    """Let the node's user reach its folder: open our own folders, check (never change) the rest."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o001:
            continue
        if parent == stop_at or stop_at in parent.parents:
            parent.chmod(mode | 0o001)
        else:
            raise NodeError(
                f"The Elasticsearch user {ES_USER!r} cannot enter {parent}; "
                "set ARSIP_DATA_DIR to a folder others can traverse (e.g. /var/lib/arsip)."
            )


def _port_answers(url: str) -> bool:
    """Whether anything accepts connections on the URL's port (HTTP or TLS alike)."""
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=1.0):
            return True
    except OSError:
        return False


def _get_json(
    url: str, timeout: float, context: ssl.SSLContext | None = None, authorization: str | None = None
) -> dict | None:
    request = urllib.request.Request(url, headers={"Authorization": authorization} if authorization else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"
