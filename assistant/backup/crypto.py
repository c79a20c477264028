"""The encrypted archive format: a passphrase, scrypt, and ChaCha20-Poly1305 in chunks.

Layout::

    header  = magic "ASSTBAK" 0x01 | kdf 1 (scrypt) | log2(n) | r | p | salt (16 bytes)
              | nonce prefix (7 bytes) | chunk size (u32) | check (32 bytes)
    chunks  = ChaCha20-Poly1305(chunk) each, with the whole header as associated data

scrypt turns the passphrase into 64 bytes: a cipher key and a check key. The check is an
HMAC of the header under the check key, so a wrong passphrase is told apart from damage
before any chunk is read. Each chunk's nonce is the prefix, the chunk's number and a flag
set on the last chunk only (the STREAM construction): chunks cannot be reordered, dropped
or cut off at the end without failing authentication.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from collections.abc import Mapping
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from assistant.backup.errors import ArchiveError, PassphraseError
from assistant.keyring_secrets import Lookup, keyring_lookup

MAGIC = b"ASSTBAK\x01"
PASSPHRASE_ENV = "ASSISTANT_BACKUP_PASSPHRASE"
"""The environment variable holding the backup passphrase."""
PASSPHRASE_KEYRING = "backup-passphrase"
"""The keyring entry (service ``assistant``) holding it otherwise."""
CHUNK = 1 << 20
TAG = 16
LOG2_N = 17
"""scrypt cost: n = 2**17, r = 8 (128 MiB of memory, a fraction of a second)."""
_MAX_LOG2_N = 22
_FIXED = struct.Struct(">8sBBBB16s7sI")
HEADER_SIZE = _FIXED.size + 32


def find_passphrase(environ: Mapping[str, str], lookup: Lookup = keyring_lookup) -> str:
    """The backup passphrase from ``ASSISTANT_BACKUP_PASSPHRASE``, else the keyring; raises
    :class:`PassphraseError` saying how to set one when there is none."""
    passphrase = environ.get(PASSPHRASE_ENV) or lookup(PASSPHRASE_KEYRING)
    if not passphrase:
        raise PassphraseError(
            f"no backup passphrase: set {PASSPHRASE_ENV}, or store one with "
            f"`keyring set assistant {PASSPHRASE_KEYRING}`",
            title="No passphrase",
        )
    return passphrase


def is_encrypted(first_bytes: bytes) -> bool:
    """Whether a file starting with ``first_bytes`` is in this format."""
    return first_bytes.startswith(MAGIC)


def _keys(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    kdf = Scrypt(salt=salt, length=64, n=1 << log2_n, r=r, p=p)
    derived = kdf.derive(passphrase.encode("utf-8"))
    return derived[:32], derived[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only stream that encrypts what is written to ``sink``; :meth:`finish` writes
    the last chunk (it does not close ``sink``)."""

    def __init__(
        self, sink: BinaryIO, passphrase: str, *, log2_n: int = LOG2_N, chunk: int = CHUNK
    ) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        key, check_key = _keys(passphrase, salt, log2_n, 8, 1)
        fixed = _FIXED.pack(MAGIC, 1, log2_n, 8, 1, salt, prefix, chunk)
        self._header = fixed + hmac.digest(check_key, fixed, hashlib.sha256)
        self._cipher = ChaCha20Poly1305(key)
        self._prefix = prefix
        self._chunk = chunk
        self._sink = sink
        self._buffer = bytearray()
        self._counter = 0
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        """Encrypt ``data`` (buffered until a whole chunk is ready)."""
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as the last.
        while len(self._buffer) > self._chunk:
            self._seal(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: whole chunks are written as they fill."""

    def finish(self) -> None:
        """Seal the rest as the last chunk."""
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._sink.write(self._cipher.encrypt(nonce, plain, self._header))
        self._counter += 1


class DecryptingReader:
    """A read-only stream of the plaintext of an encrypted ``source``. A wrong passphrase
    raises :class:`PassphraseError` at once; damage raises :class:`ArchiveError` when the
    damaged chunk is reached."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        header = source.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
            raise ArchiveError("not an encrypted backup, or its header is cut off")
        fixed, check = header[: _FIXED.size], header[_FIXED.size :]
        _, kdf, log2_n, r, p, salt, prefix, chunk = _FIXED.unpack(fixed)
        if kdf != 1 or not 10 <= log2_n <= _MAX_LOG2_N or r > 32 or p > 16 or chunk > 1 << 26:
            raise ArchiveError("the encrypted backup's header is damaged (unknown parameters)")
        key, check_key = _keys(passphrase, salt, log2_n, r, p)
        if not hmac.compare_digest(hmac.digest(check_key, fixed, hashlib.sha256), check):
            raise PassphraseError(
                "the passphrase does not open this backup (or its header is damaged)"
            )
        self._header = header
        self._cipher = ChaCha20Poly1305(key)
        self._prefix = prefix
        self._size = chunk + TAG
        self._source = source
        self._counter = 0
        self._ahead = source.read(self._size)
        self._plain = b""
        self._ended = False

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of plaintext (all of it with -1); b"" at the end."""
        while (size < 0 or len(self._plain) < size) and not self._ended:
            self._plain += self._open_next()
        if size < 0:
            out, self._plain = self._plain, b""
        else:
            out, self._plain = self._plain[:size], self._plain[size:]
        return out

    def _open_next(self) -> bytes:
        sealed, self._ahead = self._ahead, self._source.read(self._size)
        last = not self._ahead
        if len(sealed) < TAG:
            raise ArchiveError("the encrypted backup is cut off (truncated)")
        try:
            plain = self._cipher.decrypt(
                _nonce(self._prefix, self._counter, last), sealed, self._header
            )
        except InvalidTag:
            where = f"chunk {self._counter + 1}"
            raise ArchiveError(
                f"the encrypted backup was altered or is damaged ({where} fails its check, "
                "or the file is cut off)"
            ) from None
        self._counter += 1
        self._ended = last
        return plain
