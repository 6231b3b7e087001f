"""What a backup archive promises: one JSON Lines file per table, each listed in the manifest
with its row count and SHA-256, and the schema revision the rows belong to."""

from collections.abc import Mapping

from domain.shared.errors import DomainError

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class TamperedArchive(DomainError):
    """A file of the archive is not what its manifest says; `file` names it."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}; the archive was changed or damaged")
        self.file = file


class NotRestorable(DomainError):
    """The archive or the target database does not allow a restore (a newer schema, rows
    already there)."""


def check_files(expected: Mapping[str, str], found: Mapping[str, str]) -> None:
    """`expected` and `found` map file names to SHA-256 digests: the manifest's and the
    archive's. Every listed file must be there with its digest, and nothing unlisted."""
    for name in sorted(expected):
        if name not in found:
            raise TamperedArchive(name, "listed in the manifest but missing")
        if found[name] != expected[name]:
            raise TamperedArchive(name, "its SHA-256 does not match the manifest")
    extra = sorted(set(found) - set(expected))
    if extra:
        raise TamperedArchive(extra[0], "is not listed in the manifest")


def migration_path(archive_revision: str, known_revisions: list[str]) -> list[str]:
    """The revisions `known_revisions` (oldest first) would apply after the archive's: empty
    when the archive is at head. An archive from a revision this code does not know was made
    by a newer version and cannot be restored by this one."""
    if archive_revision not in known_revisions:
        raise NotRestorable(
            f"the archive's schema revision {archive_revision!r} is unknown to this version "
            "(made by a newer one?); restore it with that version"
        )
    return known_revisions[known_revisions.index(archive_revision) + 1 :]
