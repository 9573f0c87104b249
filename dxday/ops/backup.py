"""Backup and restore of a whole platform: the database and the media files, with a manifest.

A backup folder holds:

* ``database.sqlite3`` (SQLite's online backup API: consistent while the platform runs) or
  ``database.dump`` (``pg_dump --format=custom``, one consistent snapshot);
* ``media/``, a copy of MEDIA_ROOT (signed plan documents, reports, kit files, crops), taken
  after the database, so every file a row names is there (files are written before rows);
* ``manifest.json``: when, from which engine, the row count of every table, and the SHA-256 and
  size of the database file and of every media file.

``restore`` checks every checksum before it changes anything, then replaces the database and
writes the media files, then compares the restored row counts and file checksums with the
manifest. It refuses to overwrite a database that holds data unless ``force`` is given.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

MANIFEST = "manifest.json"
FORMAT = 1
DATA_TABLES = ("accounts_user", "registry_organisation", "campaigns_campaign", "plans_plan")


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)}


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def _pg_env() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(directory: Path, *, progress: Callable[[str], None] = print) -> dict:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new or empty folder.")
    directory.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    started = datetime.datetime.now(datetime.UTC)
    if engine == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
            counts = _sqlite_counts(destination)  # of the copy itself: exact
        finally:
            destination.close()
    elif engine == "postgresql":
        target = directory / "database.dump"
        env, args = _pg_env()
        # One snapshot for the counts and for pg_dump: rows written meanwhile are in neither.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts()
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                       f"--snapshot={snapshot}", "--file", str(target), *args]
            run = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if run.returncode:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    else:
        raise BackupError(f"Backups of {engine} databases are not supported.")
    progress(f"database: {target.name} ({target.stat().st_size:,} bytes, "
             f"{sum(counts.values()):,} rows in {len(counts)} tables)")
    media_root = Path(settings.MEDIA_ROOT)
    files = {}
    for path in _media_files(media_root):
        relative = path.relative_to(media_root).as_posix()
        copy = directory / "media" / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        files[relative] = {"sha256": sha256_file(copy), "size": copy.stat().st_size}
    progress(f"media: {len(files):,} files, {sum(f['size'] for f in files.values()):,} bytes")
    manifest = {
        "format": FORMAT, "created_at": started.isoformat(), "engine": engine,
        "database": {"file": target.name, "sha256": sha256_file(target),
                     "size": target.stat().st_size},
        "tables": counts, "media": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def verify(directory: Path) -> dict:
    """Read the manifest and check every checksum; raises BackupError on the first mismatch."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{directory / MANIFEST} cannot be read: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    database = directory / manifest["database"]["file"]
    if not database.exists() or sha256_file(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database.name} is missing or damaged (checksum differs).")
    for relative, meta in manifest["media"].items():
        path = directory / "media" / relative
        if not path.is_file() or sha256_file(path) != meta["sha256"]:
            raise BackupError(f"media/{relative} is missing or damaged (checksum differs).")
    return manifest


def restore(directory: Path, *, force: bool = False,
            progress: Callable[[str], None] = print) -> dict:
    directory = Path(directory)
    manifest = verify(directory)
    progress(f"checked: database and {len(manifest['media']):,} media files match the manifest")
    engine = _engine()
    if engine != manifest["engine"]:
        raise BackupError(f"The backup is of a {manifest['engine']} database; this platform "
                          f"runs on {engine}.")
    current = table_counts()
    # A freshly migrated database holds only what migrations write (content types,
    # permissions): it may be replaced; one with accounts, the registry or plans may not.
    holds_data = any(current.get(table) for table in DATA_TABLES)
    if holds_data and not force:
        raise BackupError("The database already holds data: restoring would replace it. "
                          "Run again with --force to do so.")
    source = directory / manifest["database"]["file"]
    if engine == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        env, args = _pg_env()
        connection.close()
        run = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",  # noqa: S603
                              "--no-privileges", "--single-transaction", *args, str(source)],
                             env=env, capture_output=True, text=True)
        if run.returncode:
            raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
    connection.close()
    progress("database restored")
    media_root = Path(settings.MEDIA_ROOT)
    for relative in manifest["media"]:
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(directory / "media" / relative, target)
    progress(f"media restored: {len(manifest['media']):,} files")
    problems = compare(manifest)
    if problems:
        raise BackupError("The restored platform differs from the backup: "
                          + "; ".join(problems[:10]))
    progress("verified: every table's row count and every file's checksum match")
    return manifest


def compare(manifest: dict) -> list[str]:
    """Differences between the running platform and a manifest (empty when identical)."""
    problems = []
    counts = table_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"{table}: {counts.get(table)} rows, expected {expected}")
    media_root = Path(settings.MEDIA_ROOT)
    for relative, meta in manifest["media"].items():
        path = media_root / relative
        if not path.is_file() or sha256_file(path) != meta["sha256"]:
            problems.append(f"media/{relative} differs")
    return problems
