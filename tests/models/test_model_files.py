"""``assistant models add``: a GGUF by path or by URL (resumable download, sha256 check)."""

from __future__ import annotations

import hashlib
import os
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.errors import InvalidInputError, ModelResponseError, ModelUnavailableError
from assistant.models.files import add_model
from assistant.settings import Settings, read_settings

BLOB = b"GGUF" + os.urandom(300_000)
DIGEST = hashlib.sha256(BLOB).hexdigest()


class Files:
    """Serves BLOB with Range support; the first ``cut`` responses stop half-way."""

    def __init__(self) -> None:
        self.cut = 0
        self.ranges: list[str] = []
        files = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                start = 0
                header = self.headers.get("Range")
                files.ranges.append(header or "")
                if header:
                    start = int(header.removeprefix("bytes=").split("-")[0])
                body = BLOB[start:]
                self.send_response(206 if header else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if files.cut:
                    files.cut -= 1
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/models/tiny-q4.gguf"


@pytest.fixture
def files() -> Iterator[Files]:
    served = Files()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


def configured(settings: Settings) -> dict[str, object]:
    return tomllib.loads((settings.home / "config.toml").read_text())["models"]


def test_download_resumes_and_checks_sha256(settings: Settings, files: Files) -> None:
    files.cut = 1
    seen: list[tuple[int, int]] = []
    with pytest.raises(ModelUnavailableError, match="run it again to resume"):
        add_model(settings, files.url, sha256=DIGEST)
    name, path = add_model(
        settings, files.url, sha256=DIGEST, on_progress=lambda d, t: seen.append((d, t))
    )
    assert (
        files.ranges[0] == ""
        and files.ranges[1].startswith("bytes=")
        and files.ranges[1] != "bytes=0-"
    )
    assert path.read_bytes() == BLOB and name == "tiny-q4"
    assert seen[-1] == (len(BLOB), len(BLOB))
    assert configured(read_settings({}, {"ASSISTANT_HOME": str(settings.home)})) == {
        "tiny-q4": {"provider": "llama", "path": str(path)}
    }
    reread = read_settings({}, {"ASSISTANT_HOME": str(settings.home)})
    assert any(m.name == "tiny-q4" and m.tier == "local" for m in reread.models)


def test_a_wrong_checksum_deletes_the_download(settings: Settings, files: Files) -> None:
    with pytest.raises(ModelResponseError, match="sha256"):
        add_model(settings, files.url, sha256="0" * 64)
    assert not list((settings.home / "models").glob("*"))
    assert not (settings.home / "config.toml").exists()


def test_bad_local_files_and_names(settings: Settings, tmp_path: Path) -> None:
    html = tmp_path / "model.gguf"
    html.write_text("<html>not found</html>")
    with pytest.raises(InvalidInputError, match="not a GGUF"):
        add_model(settings, str(html))
    good = tmp_path / "good.gguf"
    good.write_bytes(BLOB)
    with pytest.raises(InvalidInputError, match="not a usable model name"):
        add_model(settings, str(good), name="../../etc")
    with pytest.raises(InvalidInputError, match="exists"):
        add_model(settings, str(good), name="haiku")
    assert add_model(settings, str(good))[0] == "good"
