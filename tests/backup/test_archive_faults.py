"""Damaged archives, wrong passphrases and tampering are clear errors, never tracebacks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.backup.archive import verify_archive
from assistant.backup.create import create_backup
from assistant.backup.crypto import DecryptingReader, EncryptingWriter, find_passphrase
from assistant.backup.errors import ArchiveError, PassphraseError
from assistant.settings import Settings
from tests.backup.conftest import WHEN

PASSPHRASE = "a long and private passphrase"


@pytest.fixture
def plain(filled: Assistant, home_settings: Settings, tmp_path: Path) -> Path:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    return result.path


@pytest.fixture
def sealed(filled: Assistant, home_settings: Settings, tmp_path: Path) -> Path:
    result = create_backup(
        home_settings, filled.db, environ={}, target=tmp_path, passphrase=PASSPHRASE, now=WHEN
    )
    return result.path


def _cut(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x40
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("keep", [0.0, 0.01, 0.5, 0.99])
def test_a_truncated_archive_is_reported_as_damaged(plain: Path, keep: float) -> None:
    _cut(plain, keep)
    with pytest.raises(ArchiveError, match="truncated or corrupted|not a backup"):
        verify_archive(plain, lambda: "")


def test_a_corrupted_byte_is_caught(plain: Path) -> None:
    _flip(plain, plain.stat().st_size // 2)
    with pytest.raises(ArchiveError):
        verify_archive(plain, lambda: "")


def test_a_byte_changed_anywhere_after_the_gzip_header_is_caught(plain: Path) -> None:
    """Wherever the changed byte lies, even in the tar's closing blocks that no member is read
    from: the whole stream is read, so gzip's check sees it."""
    original = plain.read_bytes()
    size = len(original)
    for at in sorted({10 + (size - 10) * n // 40 for n in range(40)} | {size - 1}):
        plain.write_bytes(original)
        _flip(plain, at)
        with pytest.raises(ArchiveError):
            verify_archive(plain, lambda: "")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.tar.gz"
    other.write_bytes(b"just some text, not an archive")
    with pytest.raises(ArchiveError):
        verify_archive(other, lambda: "")


def test_an_encrypted_archive_opens_with_its_passphrase_only(sealed: Path) -> None:
    assert verify_archive(sealed, lambda: PASSPHRASE).counts.memories == 3
    with pytest.raises(PassphraseError, match="passphrase does not open"):
        verify_archive(sealed, lambda: "not the passphrase")


def test_tampered_ciphertext_is_caught(sealed: Path) -> None:
    _flip(sealed, sealed.stat().st_size - 40)
    with pytest.raises(ArchiveError, match="altered or is damaged"):
        verify_archive(sealed, lambda: PASSPHRASE)


def test_a_truncated_encrypted_archive_is_caught(sealed: Path) -> None:
    _cut(sealed, 0.7)
    with pytest.raises(ArchiveError):
        verify_archive(sealed, lambda: PASSPHRASE)


def test_a_tampered_header_is_caught(sealed: Path) -> None:
    _flip(sealed, 20)  # inside the salt
    with pytest.raises(PassphraseError):
        verify_archive(sealed, lambda: PASSPHRASE)


def _seal(plain: bytes, chunk: int = 64) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, "pw", log2_n=10, chunk=chunk)
    writer.write(plain)
    writer.finish()
    return sink.getvalue()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 640, 1000])
def test_the_stream_round_trips_at_every_chunk_boundary(size: int) -> None:
    plain = bytes(range(256)) * 4
    sealed = _seal(plain[:size])
    assert DecryptingReader(io.BytesIO(sealed), "pw").read() == plain[:size]


def test_chunks_cut_off_at_a_boundary_dropped_or_swapped_are_caught() -> None:
    plain = b"x" * 64 * 3 + b"tail"
    sealed = _seal(plain)
    size = 64 + 16
    header = len(sealed) - (3 * size + 4 + 16)  # three whole chunks and a short last one
    chunks = [sealed[header + i * size : header + (i + 1) * size] for i in range(4)]
    top = sealed[:header]
    for broken in (
        top + b"".join(chunks[:3]),  # the last chunk dropped, at a chunk boundary
        top + chunks[1] + chunks[0] + chunks[2] + chunks[3],  # reordered
        top + chunks[0] + chunks[2] + chunks[3],  # one dropped in the middle
        sealed + b"trailing",
    ):
        with pytest.raises(ArchiveError):
            DecryptingReader(io.BytesIO(broken), "pw").read()


def test_the_passphrase_comes_from_the_environment_or_the_keyring() -> None:
    assert find_passphrase({"ASSISTANT_BACKUP_PASSPHRASE": "from env"}) == "from env"
    assert find_passphrase({}, lambda name: "from keyring") == "from keyring"
    with pytest.raises(PassphraseError, match="ASSISTANT_BACKUP_PASSPHRASE"):
        find_passphrase({}, lambda name: "")
