"""Import rate: a mem0 export of COUNT memories imported into an empty home, end to end
(read, policy, dedup, notes, embedding, indexes), beside the embedding model alone on the
same texts (the floor the import cannot beat).

python bench/import_rate.py [COUNT]      # default 10000; target ≥ 300 memories/s
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import synthetic_texts

from assistant import Assistant
from assistant.transfer.importer import Importer


def write_export(path: Path, texts: list[str]) -> None:
    """A mem0 ``get_all`` export (``{"results": [...]}``) of ``texts``."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"results": [')
        for n, text in enumerate(texts):
            record = {
                "id": f"00000000-0000-4000-8000-{n:012d}",
                "memory": text,
                "hash": f"{n:032x}",
                "metadata": None,
                "created_at": "2025-03-14T09:21:07Z",
                "updated_at": "2025-03-14T09:21:07Z",
                "user_id": "bench",
            }
            out.write(("," if n else "") + json.dumps(record))
        out.write("]}")


def main(count: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        texts = list(dict.fromkeys(synthetic_texts(count, seed=7)))
        export = home.parent / f"{home.name}-mem0.json"
        write_export(export, texts)
        with Assistant.open(home) as assistant:
            model = assistant.memories.embedder.inner  # type: ignore[attr-defined]
            model.embed(["warm up"])
            started = time.perf_counter()
            report = Importer(assistant).run(export)
            rate = report.added / (time.perf_counter() - started)
            started = time.perf_counter()
            model.embed([t + " again" for t in texts])  # the model alone, same lengths
            floor = len(texts) / (time.perf_counter() - started)
        export.unlink()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"import: {rate:.0f} memories/s for {report.added:,} mem0 memories "
        f"({report.duplicates} duplicates, {report.refused} refused); "
        f"the embedding model alone on the same texts: {floor:.0f} texts/s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
