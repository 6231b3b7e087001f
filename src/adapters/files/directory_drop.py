"""The student directory as files dropped in a folder: CSV (a header row naming the fields) or
JSON (a list of objects, or {"students": [...]}). Each run reads every file there as one whole
directory; once a run has applied them, they move to `processed/` under a time-stamped name."""

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from application.directory.ports import DirectoryRead, DirectoryRecord

PROCESSED = "processed"


def _csv_records(path: Path) -> list[DirectoryRecord]:
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [
        DirectoryRecord(
            where=f"{path.name} line {reader.line_num}",
            values={(key or "").strip().lower(): value for key, value in row.items()},
        )
        for row in reader
    ]


def _json_records(path: Path) -> list[DirectoryRecord]:
    document: Any = json.loads(path.read_text(encoding="utf-8"))
    items = document.get("students", []) if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ValueError(f"{path.name}: expected a list of students")
    return [
        DirectoryRecord(where=f"{path.name} item {number}", values=item)
        for number, item in enumerate(items, start=1)
        if isinstance(item, dict)
    ]


class FileDropStudentDirectory:
    source = "files"

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _files(self) -> list[Path]:
        if not self._folder.is_dir():
            return []
        return sorted(
            path
            for path in self._folder.iterdir()
            if path.is_file() and path.suffix.lower() in (".csv", ".json")
        )

    def _read(self) -> DirectoryRead | None:
        files = self._files()
        if not files:
            return None
        records: list[DirectoryRecord] = []
        for path in files:
            reader = _json_records if path.suffix.lower() == ".json" else _csv_records
            records += reader(path)
        return DirectoryRead(records=records, handles=[str(path) for path in files])

    async def read(self) -> DirectoryRead | None:
        return await asyncio.to_thread(self._read)

    def _move_aside(self, read: DirectoryRead) -> None:
        done = self._folder / PROCESSED
        done.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for handle in read.handles:
            path = Path(handle)
            if path.exists():
                path.rename(done / f"{stamp}-{path.name}")

    async def acknowledge(self, read: DirectoryRead) -> None:
        await asyncio.to_thread(self._move_aside, read)


class NoStudentDirectory:
    """No source is configured: the sync is off."""

    source = "none"

    async def read(self) -> DirectoryRead | None:
        return None

    async def acknowledge(self, read: DirectoryRead) -> None:
        return None
