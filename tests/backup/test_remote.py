"""Remote copies on S3-compatible storage, against moto's server on 127.0.0.1."""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from assistant import Assistant
from assistant.backup.catalog import fetch_remote, list_remote
from assistant.backup.create import create_backup
from assistant.backup.errors import BackupError
from assistant.backup.restore import restore_backup
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings, read_settings
from tests.backup.conftest import WHEN, fingerprint, restore_env

KEYS = {"ASSISTANT_S3_ACCESS_KEY_ID": "testing", "ASSISTANT_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A bucket on a local S3 server, and the environment that points a home at it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps one store per process, whatever the server: start each test on an empty one
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="backups")
    env = {
        "ASSISTANT_BACKUP_S3_BUCKET": "backups",
        "ASSISTANT_BACKUP_S3_ENDPOINT": endpoint,
        "ASSISTANT_BACKUP_S3_REGION": "us-east-1",
        "ASSISTANT_BACKUP_S3_PREFIX": "laptop/",
    }
    for key, value in {**env, **KEYS}.items():
        monkeypatch.setenv(key, value)
    yield {**env, **KEYS}
    client.close()
    server.stop()


def test_backup_to_s3_then_restore_from_it_on_a_new_machine(
    s3: dict[str, str], filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    settings = read_settings({}, {**dict(home_settings_env(home_settings)), **s3})
    before = fingerprint(filled)
    result = create_backup(settings, filled.db, environ=s3, passphrase="pw", now=WHEN)
    filled.close()
    assert result.remote == f"s3://backups/laptop/{result.path.name}"
    assert not result.problems

    shutil.rmtree(settings.home)  # the laptop is gone, its local backups with it
    new_home = tmp_path / "new-laptop"
    env = restore_env(new_home, **s3)
    assert [e.name for e in list_remote(read_settings({}, env).backup, env)] == [result.path.name]
    fetched = fetch_remote(result.path.name, {}, env)
    report = restore_backup(fetched, {}, env, lambda: "pw", embedder=HashEmbedder())

    assert report.ok, report.problems
    with Assistant(read_settings({}, env), embedder=HashEmbedder()) as restored:
        assert fingerprint(restored) == before


def test_retention_applies_to_the_remote_too(
    s3: dict[str, str], filled: Assistant, home_settings: Settings
) -> None:
    env = {**home_settings_env(home_settings), **s3, "ASSISTANT_BACKUP_KEEP_DAILY": "2"}
    env |= {"ASSISTANT_BACKUP_KEEP_WEEKLY": "0", "ASSISTANT_BACKUP_KEEP_MONTHLY": "0"}
    settings = read_settings({}, env)
    manual = create_backup(settings, filled.db, environ=s3, now=WHEN - timedelta(days=9))
    made = [
        create_backup(
            settings, filled.db, environ=s3, now=WHEN + timedelta(days=d), trigger="schedule"
        )
        for d in range(4)
    ]

    names = [e.name for e in list_remote(settings.backup, env)]

    assert names == [made[3].path.name, made[2].path.name, manual.path.name]
    assert made[3].removed[-1].startswith("s3://backups/laptop/")


def test_a_remote_that_fails_keeps_the_local_backup_and_says_so(
    s3: dict[str, str], filled: Assistant, home_settings: Settings
) -> None:
    env = {**home_settings_env(home_settings), **s3, "ASSISTANT_BACKUP_S3_BUCKET": "no-such"}
    settings = read_settings({}, env)

    result = create_backup(settings, filled.db, environ=s3, now=WHEN)

    assert result.path.exists() and not result.remote
    assert result.problems and "no-such" in result.problems[0]
    with pytest.raises(BackupError, match="does not exist"):
        fetch_remote(result.path.name, {}, env)
    with pytest.raises(BackupError, match="no archive"):
        fetch_remote("assistant-backup-20200101T000000Z.tar.gz", {}, {**env, **s3})


def home_settings_env(settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_HOME": str(settings.home), "ASSISTANT_EMBEDDER": "hash"}
