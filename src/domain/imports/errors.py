"""Errors of an import. Each says which HTTP status it needs, for the problem-details table."""

from collections.abc import Sequence

from domain.shared.errors import DomainError, InvalidValue


class UnsupportedFileType(DomainError):
    """The content is not a format we read (HTTP 415). `detected` says what it looks like."""

    def __init__(self, detected: str) -> None:
        super().__init__(
            f"unsupported file type: this looks like {detected}; "
            "upload CSV, XLSX, XLSM, XLSB, XLS or ODS"
        )
        self.detected = detected


class FileTooLarge(DomainError):
    """The upload exceeds the configured size (HTTP 413)."""

    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        super().__init__(f"the file has {size_bytes:,} bytes; the limit is {limit_bytes:,} bytes")
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes


class UnreadableFile(InvalidValue):
    """The format is supported but this file cannot be read: damaged, hostile or empty (422)."""

    def __init__(self, reason: str) -> None:
        super().__init__("file", reason)


class MissingColumns(InvalidValue):
    """Required columns are absent from the header row (422); nothing is imported."""

    def __init__(self, missing: Sequence[str], headers: Sequence[str]) -> None:
        seen = ", ".join(repr(h) for h in headers) or "none"
        super().__init__(
            "header", f"missing required column(s): {', '.join(missing)} (columns found: {seen})"
        )
        self.missing = tuple(missing)


class DuplicateColumns(InvalidValue):
    """Two columns feed the same field (422): the import would have to guess which one wins."""

    def __init__(self, field: str, first_header: str, second_header: str) -> None:
        super().__init__(
            "header",
            f"columns {first_header!r} and {second_header!r} both map to {field}; keep one",
        )
        self.target_field = field
        self.headers = (first_header, second_header)
