"""Security for a local node: TLS certificates, the ``elastic`` password, least-privilege API keys.

``arsip es start --secure`` turns a local node into a secured one, the way a production cluster is set up:

- a CA and a node certificate for ``localhost`` / ``127.0.0.1``, made with the distribution's own
  ``bin/elasticsearch-certutil`` (PEM) under ``<node>/config/certs``;
- ``xpack.security.enabled`` with TLS on the HTTP layer (single-node, so the transport needs none);
- the ``elastic`` superuser's password, random, given to the node through the keystore
  (``bootstrap.password``) and kept in ``<node>/elastic.password`` (mode 0600), never printed;
- two least-privilege roles (``roles.yml``): ``arsip_search`` (read only, but for writing the saved
  searches' own index ``arsip-saved-searches*``) for the search app and
  ``arsip_indexer`` (create, write, manage ``arsip-*``) for the indexer, each held by a file-realm user
  with a random password, and, where the node can store them, one API key per role;
- all of it (URL, CA, the two identities) in ``<node>/secure.env`` (mode 0600) for ``set -a; . secure.env``.

API keys (and native users and roles) live in the ``.security`` system index. The minimal integ-test-zip
distribution cannot create that index: its mapping needs the ``pattern_capture`` filter of the
``analysis-common`` module, which the zip lacks ("Unknown filter type [pattern_capture] for [email]"). The
licence is not the problem (a fresh node runs the basic licence, which includes API keys). So API keys are
tried first and, where they cannot be created, the two file-realm users with the same roles are what
``secure.env`` offers (``ARSIP_ES_USERNAME``/``ARSIP_ES_PASSWORD`` and the ``ARSIP_ES_SEARCH_*`` pair).
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import ssl
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

PASSWORD_FILE = "elastic.password"
SECURE_ENV_FILE = "secure.env"
CERTS_DIR = "certs"  # inside the node's config folder: Elasticsearch reads TLS files from there only
ELASTIC_USER = "elastic"
INDEX_PATTERN = "arsip-*"
SAVED_SEARCHES_PATTERN = "arsip-saved-searches*"  # ARSIP_SAVED_SEARCHES_INDEX's default alias and its index

# The two identities arsip needs, with the least privilege each job takes (README, "Running in production").
SEARCH_ROLE = "arsip_search"
INDEXER_ROLE = "arsip_indexer"
ROLES: dict[str, dict] = {
    SEARCH_ROLE: {
        "cluster": ["monitor"],
        "indices": [
            {"names": [INDEX_PATTERN], "privileges": ["read", "view_index_metadata"]},
            # the one index the app writes: saved searches (it creates it, with its alias, on first use)
            {
                "names": [SAVED_SEARCHES_PATTERN],
                "privileges": ["manage", "read", "write", "view_index_metadata"],
            },
        ],
    },
    INDEXER_ROLE: {
        "cluster": ["monitor"],
        "indices": [
            {
                "names": [INDEX_PATTERN],
                "privileges": [
                    "create_index",
                    "index",
                    "delete",
                    "write",
                    "read",
                    "manage",
                    "view_index_metadata",
                ],
            }
        ],
    },
}
API_KEY_NAMES = {SEARCH_ROLE: "arsip-search", INDEXER_ROLE: "arsip-indexer"}
# The env variables of each identity: (username, password, API key); the file user is named after its role.
IDENTITY_VARS = {
    INDEXER_ROLE: ("ARSIP_ES_USERNAME", "ARSIP_ES_PASSWORD", "ARSIP_ES_API_KEY"),
    SEARCH_ROLE: ("ARSIP_ES_SEARCH_USERNAME", "ARSIP_ES_SEARCH_PASSWORD", "ARSIP_ES_SEARCH_API_KEY"),
}
SECRET_VARS = ("ARSIP_ES_PASSWORD", "ARSIP_ES_API_KEY", "ARSIP_ES_SEARCH_PASSWORD", "ARSIP_ES_SEARCH_API_KEY")


class SecurityError(RuntimeError):
    """Certificates, keystore or credentials could not be set up; the message holds no secret."""


@dataclass(frozen=True)
class SecureCredentials:
    """The contents of ``secure.env``: what a client of the secured node needs. ``repr`` hides secrets."""

    values: dict[str, str]
    api_keys: bool  # whether ARSIP_ES_API_KEY / ARSIP_ES_SEARCH_API_KEY are set (else: file users)

    def __repr__(self) -> str:
        shown = {k: ("***" if k in SECRET_VARS else v) for k, v in self.values.items()}
        return f"SecureCredentials({shown}, api_keys={self.api_keys})"

    def env(self) -> dict[str, str]:
        return dict(self.values)


# ----------------------------------------------------------------------------- files
def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (0600 from the start, no window)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def elastic_password(node_dir: Path) -> str:
    """The ``elastic`` user's password, created (random) on first use."""
    path = node_dir / PASSWORD_FILE
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = ""
    if not value:
        value = secrets.token_urlsafe(24)
        write_private(path, value + "\n")
    return value


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines (with or without ``export``) of an env file such as ``secure.env``."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, raw = line.removeprefix("export ").partition("=")
        parts = shlex.split(raw)
        values[key.strip()] = parts[0] if parts else ""
    return values


def write_env_file(path: Path, values: dict[str, str], note: str = "") -> None:
    lines = [
        "# Written by `arsip es start --secure`: the secured local node and arsip's two identities.",
        "# ARSIP_ES_* = the indexer (role arsip_indexer), ARSIP_ES_SEARCH_* = the search app (role",
        "# arsip_search); an API key, where set, is used instead of the user. Keep this file private (0600).",
    ]
    if note:
        lines.append(f"# {note}")
    lines += [f"export {key}={shlex.quote(value)}" for key, value in values.items()]
    write_private(path, "\n".join(lines) + "\n")


# ----------------------------------------------------------------------------- certificates
def ensure_certificates(dist_dir: Path, conf_dir: Path, env: dict[str, str]) -> dict[str, Path]:
    """A CA and a node certificate (PEM) under ``conf_dir/certs``, made once with elasticsearch-certutil."""
    certs = conf_dir / CERTS_DIR
    paths = {
        "ca": certs / "ca" / "ca.crt",
        "ca_key": certs / "ca" / "ca.key",
        "cert": certs / "node" / "node.crt",
        "key": certs / "node" / "node.key",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    shutil.rmtree(certs, ignore_errors=True)
    certs.mkdir(parents=True, exist_ok=True)
    certutil = str(dist_dir / "bin" / "elasticsearch-certutil")
    with tempfile.TemporaryDirectory(prefix="arsip-certs-") as tmp:
        ca_zip = Path(tmp) / "ca.zip"
        _run([certutil, "ca", "--pem", "--silent", "--out", str(ca_zip)], env, "create the CA")
        _unzip(ca_zip, certs)
        node_zip = Path(tmp) / "node.zip"
        cmd = [
            certutil,
            "cert",
            "--pem",
            "--silent",
            "--ca-cert",
            str(paths["ca"]),
            "--ca-key",
            str(paths["ca_key"]),
            "--name",
            "node",
            "--dns",
            "localhost",
            "--ip",
            "127.0.0.1",
            "--out",
            str(node_zip),
        ]
        _run(cmd, env, "create the node certificate")
        _unzip(node_zip, certs)
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        raise SecurityError(f"elasticsearch-certutil did not produce {', '.join(missing)}")
    for key in ("ca_key", "key"):
        paths[key].chmod(0o600)
    return paths


def _unzip(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target)


# ----------------------------------------------------------------------------- keystore
def ensure_keystore(dist_dir: Path, env: dict[str, str], password: str) -> None:
    """Put ``bootstrap.password`` into the node's keystore (created if needed)."""
    tool = str(dist_dir / "bin" / "elasticsearch-keystore")
    keystore = Path(env["ES_PATH_CONF"]) / "elasticsearch.keystore"
    if not keystore.exists():
        _run([tool, "create", "--silent"], env, "create the keystore")
    _run(
        [tool, "add", "--stdin", "--force", "--silent", "bootstrap.password"],
        env,
        "set the password",
        password,
    )


def _run(cmd: list[str], env: dict[str, str], what: str, stdin: str | None = None) -> None:
    proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, check=False, timeout=300)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-8:])
        for secret in (stdin or "").split():
            tail = tail.replace(secret, "***")
        raise SecurityError(f"Could not {what} (exit {proc.returncode}):\n{tail}")


def config_lines(paths: dict[str, Path]) -> list[str]:
    """The elasticsearch.yml lines of a secured single node (TLS on HTTP, API keys on)."""
    return [
        "# Secured node (`arsip es start --secure`): TLS on HTTP, users and API keys required.",
        "xpack.security.enabled: true",
        "xpack.security.authc.api_key.enabled: true",
        "xpack.security.http.ssl.enabled: true",
        f"xpack.security.http.ssl.key: {paths['key']}",
        f"xpack.security.http.ssl.certificate: {paths['cert']}",
        f'xpack.security.http.ssl.certificate_authorities: ["{paths["ca"]}"]',
        "xpack.security.transport.ssl.enabled: false",
    ]


def ssl_context(ca_path: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_path))


# ----------------------------------------------------------------------------- roles and users
def roles_yaml() -> str:
    """``ROLES`` as the file realm's roles.yml (JSON lists are valid YAML)."""
    out = ["# Written by `arsip es start --secure`: arsip's two least-privilege roles."]
    for name, body in ROLES.items():
        out += [f"{name}:", f"  cluster: {json.dumps(body['cluster'])}", "  indices:"]
        for entry in body["indices"]:
            out += [
                f"    - names: {json.dumps(entry['names'])}",
                f"      privileges: {json.dumps(entry['privileges'])}",
            ]
    return "\n".join(out) + "\n"


def ensure_file_identities(dist_dir: Path, env: dict[str, str], url: str, ca: Path, env_path: Path) -> None:
    """The two roles in roles.yml and a file-realm user for each; their credentials go to ``env_path``.

    Runs before the node starts. Users whose password ``env_path`` already holds are kept.
    """
    conf = Path(env["ES_PATH_CONF"])
    (conf / "roles.yml").write_text(roles_yaml(), encoding="utf-8")
    existing = read_env_file(env_path) if env_path.exists() else {}
    users_file = conf / "users"
    known = {
        line.split(":", 1)[0] for line in (users_file.read_text().splitlines() if users_file.exists() else [])
    }
    tool = str(dist_dir / "bin" / "elasticsearch-users")
    values = {"ARSIP_ES_URL": url, "ARSIP_ES_CA_CERTS": str(ca)}
    for role, (user_var, password_var, key_var) in IDENTITY_VARS.items():
        password = existing.get(password_var) if existing.get(user_var) == role and role in known else None
        if not password:
            password = secrets.token_urlsafe(24)
            if role in known:
                _run([tool, "userdel", role], env, "replace a file user")
            _run([tool, "useradd", role, "-r", role], env, "create a file user", f"{password}\n{password}\n")
        values[user_var], values[password_var] = role, password
        if existing.get(key_var):
            values[key_var] = existing[key_var]  # checked (and renewed or dropped) after the start
    for name in ("users", "users_roles", "roles.yml"):
        (conf / name).chmod(0o600)
    write_env_file(env_path, values)


# ----------------------------------------------------------------------------- API keys
def provision(url: str, ca_path: Path, password: str, env_path: Path) -> SecureCredentials:
    """After the start: check the file users, add an API key per role where possible; rewrite ``secure.env``.

    Keys from an earlier start are kept while they still authenticate. Each key is created by ``elastic``
    with its role as the key's only role descriptor, so it can do exactly what the role allows.
    """
    from elasticsearch import Elasticsearch
    from elasticsearch import exceptions as es_exc

    values = read_env_file(env_path)
    for role, (user_var, password_var, _key) in IDENTITY_VARS.items():
        if not _works(url, ca_path, basic_auth=(values.get(user_var, ""), values.get(password_var, ""))):
            raise SecurityError(f"The node does not accept the file user {role!r}; see its logs.")
    keys_ok = all(
        values.get(key_var) and _works(url, ca_path, api_key=values[key_var])
        for _u, _p, key_var in IDENTITY_VARS.values()
    )
    note = ""
    if not keys_ok:
        admin = Elasticsearch(
            url, ca_certs=str(ca_path), basic_auth=(ELASTIC_USER, password), request_timeout=30
        )
        try:
            for role, (_u, _p, key_var) in IDENTITY_VARS.items():
                values.pop(key_var, None)
                admin.security.invalidate_api_key(name=API_KEY_NAMES[role])
                created = admin.security.create_api_key(
                    name=API_KEY_NAMES[role],
                    role_descriptors={role: ROLES[role]},
                    metadata={"application": "arsip", "role": role},
                )
                values[key_var] = created["encoded"]
            keys_ok = True
        except es_exc.ApiError as exc:
            for _u, _p, key_var in IDENTITY_VARS.values():
                values.pop(key_var, None)
            reason = exc.body.get("error", {}).get("reason") if isinstance(exc.body, dict) else None
            note = f"No API keys on this node ({exc.meta.status} {exc.error}: {reason}); file users instead."
        finally:
            admin.close()
    write_env_file(env_path, values, note)
    return SecureCredentials(values, api_keys=keys_ok)


def _works(url: str, ca_path: Path, **auth) -> bool:
    from elasticsearch import Elasticsearch
    from elasticsearch import exceptions as es_exc

    client = Elasticsearch(url, ca_certs=str(ca_path), request_timeout=10, **auth)
    try:
        client.security.authenticate()
        return True
    except (es_exc.ApiError, es_exc.TransportError):
        return False
    finally:
        client.close()
