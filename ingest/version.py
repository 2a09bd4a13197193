"""The parser version: a hash of the extraction code and its data (rules, catalog, report families), so a report
extracted by other rules can be found and extracted again (`yearwise ingest --reextract`)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

INGEST = Path(__file__).parent
# what decides the facts: the extraction code, the bundled rule and catalog files, and a user's extra files
_USER_FILES = ("YEARWISE_CATALOG", "YEARWISE_FAMILIES")


def _user_files() -> list[Path]:
    return [Path(p) for var in _USER_FILES for p in os.environ.get(var, "").split(os.pathsep) if p]


@lru_cache(maxsize=2)
def _own_key(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The bundled code and data files as this process found them first: the code is imported and the rule files
    are read once per process, so what extracts here is what they held then (and one glob, not one a report)."""
    own = sorted(p for pattern in ("*.py", "readers/*.py", "data/*") for p in folder.glob(pattern) if p.is_file())
    return tuple(_stat_key(p) for p in own)


def _stat_key(p: Path) -> tuple[str, int, int]:
    try:
        st = p.stat()
        return (str(p), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(p), 0, -1)


@lru_cache(maxsize=4)
def _hash(key: tuple[tuple[str, int, int], ...]) -> str:
    h = hashlib.sha256()
    for name, _, _ in key:
        path = Path(name)
        h.update(path.relative_to(INGEST).as_posix().encode() if path.is_relative_to(INGEST) else path.name.encode())
        h.update(b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:  # a user file named but missing: the catalog loader reports it
            h.update(b"missing")
        h.update(b"\0")
    return h.hexdigest()[:16]


def parser_version() -> str:
    """16 hex digits naming the code and data that extract facts; any change to them changes it."""
    return _hash(_own_key(INGEST) + tuple(_stat_key(p) for p in _user_files()))
