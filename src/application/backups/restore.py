"""Restoring a backup archive: the command line's `residence restore`."""

from pathlib import Path

from application.backups.ports import DatabaseRestorer, RestoreReport


class RestoreBackup:
    """Loads a backup archive into the configured database.

    - every file of the archive is checked against the SHA-256 in its manifest before the
      database is touched; a changed, missing or extra file is refused by name;
    - the database must be empty (or never migrated) unless `replace` is given, which drops
      what is there first;
    - the database is migrated to the archive's schema revision, the rows are loaded in
      dependency order, then it is migrated forward to the newest revision;
    - it works across engines: a SQLite archive restores into PostgreSQL and back."""

    def __init__(self, restorer: DatabaseRestorer) -> None:
        self._restorer = restorer

    async def __call__(self, archive: Path, *, replace: bool = False) -> RestoreReport:
        return await self._restorer.restore(archive, replace=replace)
