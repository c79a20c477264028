"""One table of a LanceDB directory, opened when first used.

Importing ``lancedb`` costs 1.3–4 s (it builds about 1,000 pydantic classes for a REST client
the assistant never uses), the largest part of a cold command. A :class:`LanceTable` knows
whether its table exists from the directory alone, and imports, connects and opens only
when a read or write needs the table: a command or a service start that never touches the
vectors never pays for the import, and a service warms it in the background instead.

Usage::

    table = LanceTable(lance_dir, "memories", schema, what="the vector index")
    table.exists            # from the directory, no import
    table.get().count_rows()
    table.write(data, new=True)  # append (new ids) or merge by id
    table.replace(data)     # overwrite the table with ``data``
"""

from __future__ import annotations

import gc
import importlib.util
import re
import sys
import threading
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from assistant.errors import StoreError
from assistant.store.filelock import file_lock

_REST_CLIENT = "lance_namespace_urllib3_client"
"""LanceDB's generated REST client: its package imports every API class (about 60 % of
importing lancedb), though only its model classes are used on a local directory."""


def import_lancedb() -> Any:
    """Import lancedb.

    The cyclic garbage collector is paused meanwhile: it would otherwise run dozens of
    times over the freshly built classes, for nothing (about 0.2 s). The REST client's
    package is entered without running its ``__init__`` (its API classes load on first use:
    a remote namespace, never used here), so that only the model classes lancedb imports
    are built.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _defer_package_init(_REST_CLIENT)
        _defer_package_init(f"{_REST_CLIENT}.models")
        import lancedb

        return lancedb
    finally:
        if was_enabled:
            gc.enable()


_REEXPORT = re.compile(r"^from ([\w.]+) import (\w+)$", re.MULTILINE)


def _defer_package_init(name: str) -> None:
    """Register package ``name`` with its ``__init__`` not yet run: submodules import as
    usual; a name the ``__init__`` re-exports (``from pkg.mod import Name``) imports just
    that submodule when first looked up, and any other name runs the ``__init__`` then."""
    if name in sys.modules or "." in name and name.rpartition(".")[0] not in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.origin is None:
        return
    if spec.submodule_search_locations is None:
        return
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return
    homes = {attribute: module for module, attribute in _REEXPORT.findall(source)}
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def lookup(attribute: str) -> Any:
        home = homes.get(attribute)
        if home is not None:
            value = getattr(importlib.import_module(home), attribute)
        elif not attribute.startswith("__") and importlib.util.find_spec(f"{name}.{attribute}"):
            value = importlib.import_module(f"{name}.{attribute}")  # `from pkg import sub`
        else:  # not a plain re-export: the package as its own __init__ makes it
            package.__dict__.pop("__getattr__", None)
            loader.exec_module(package)
            value = getattr(package, attribute)
        setattr(package, attribute, value)
        return value

    package.__dict__["__getattr__"] = lookup
    sys.modules[name] = package
    if "." in name:
        parent, _, child = name.rpartition(".")
        setattr(sys.modules[parent], child, package)


class LanceTable:
    """A LanceDB table by name, created with ``schema`` when missing, opened on first use."""

    def __init__(self, uri: Path, name: str, schema: pa.Schema, *, what: str) -> None:
        self.uri = uri
        self.name = name
        self._schema = schema
        self._what = what
        self._lock_path = uri.parent / ".lance.lock"
        self._guard = threading.Lock()
        self._db: Any = None
        self._table: Any = None
        self.created = False
        """This process created the table (it was on disk in no other process's hands)."""

    @property
    def exists(self) -> bool:
        """Whether the table is on disk (read from the directory: nothing is imported)."""
        return (self.uri / f"{self.name}.lance").is_dir()

    @property
    def opened(self) -> bool:
        """Whether the table has been opened in this process."""
        return self._table is not None

    def get(self) -> Any:
        """The table (a ``lancedb`` table), opened, or created empty, on the first call."""
        table = self._table
        if table is not None:
            return table
        with self._guard:
            if self._table is None:
                try:
                    db = self._connect()
                    # Two processes creating the table at once would each write a version 1.
                    with file_lock(self._lock_path):
                        if self.name in db.list_tables().tables:
                            self._table = db.open_table(self.name)
                        else:
                            self._table = db.create_table(self.name, schema=self._schema)
                            self.created = True
                except (OSError, ValueError, RuntimeError) as exc:
                    raise StoreError(f"cannot open {self._what} at {self.uri}: {exc}") from exc
            return self._table

    def write(self, data: pa.Table, *, new: bool) -> None:
        """Add rows: a plain append when ``new`` (the ids are not in the table: several times
        cheaper), else replacing rows with the same id. Lance commits optimistically and
        retries on conflict, so concurrent writers from several processes all land."""
        table = self.get()
        if new:
            table.add(data)
        else:
            table.merge_insert(
                "id"
            ).when_matched_update_all().when_not_matched_insert_all().execute(data)

    def replace(self, data: pa.Table) -> Any:
        """Overwrite the table with ``data``; returns the new table."""
        with self._guard:
            try:
                db = self._connect()
                with file_lock(self._lock_path):
                    self._table = db.create_table(
                        self.name, data, schema=self._schema, mode="overwrite"
                    )
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(f"cannot rebuild {self._what}: {exc}") from exc
            return self._table

    def rewrite(self) -> None:
        """Rewrite the table from its live rows and drop every older version, so deleted
        rows leave the files (compaction keeps a fragment's deleted rows on disk until a
        good part of the fragment is deleted)."""
        try:
            live = self.get().to_arrow()
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot read {self._what}: {exc}") from exc
        table = self.replace(live)
        try:
            with file_lock(self._lock_path), warnings.catch_warnings():
                # Every older version goes: the warning says so, and that is the point.
                warnings.filterwarnings("ignore", "optimize.cleanup_older_than=0", UserWarning)
                table.optimize(cleanup_older_than=timedelta(0), delete_unverified=True)
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot compact {self._what}: {exc}") from exc

    def _connect(self) -> Any:
        if self._db is None:
            self.uri.mkdir(parents=True, exist_ok=True)
            lancedb = import_lancedb()
            self._db = lancedb.connect(str(self.uri), read_consistency_interval=timedelta(0))
        return self._db
