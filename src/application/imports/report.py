"""The report of an import, as stored, returned over HTTP and summed up in the emails."""

from typing import TYPE_CHECKING, Any

from domain.imports.headers import HeaderMapping
from domain.imports.model import ImportRecord
from domain.imports.report import ImportCounts, ProblemTally
from domain.notifications.model import Notification

if TYPE_CHECKING:
    from application.imports.run import ImportSite
    from application.notifications.notifier import Notifier


def _file(record: ImportRecord) -> dict[str, Any]:
    return {
        "file_name": record.file.name,
        "file_size": record.file.size,
        "file_type": record.file.file_type,
        "sha256": record.file.sha256,
        "kind": record.kind.value,
        "mode": record.mode.value,
        "dry_run": record.dry_run,
    }


def success_report(
    record: ImportRecord,
    mapping: HeaderMapping,
    counts: ImportCounts,
    tally: ProblemTally,
    duration_seconds: float,
    removed: int = 0,
) -> dict[str, Any]:
    return {
        **_file(record),
        "total_rows": counts.total_rows,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "skipped": counts.skipped,
        "invalid": counts.invalid,
        "duplicates": counts.duplicates,
        "removed": removed,
        "missing_fields": dict(sorted(tally.missing_fields.items())),
        "problem_count": tally.problem_count,
        "errors_sample": [
            {"line": p.line, "column": p.column, "value": p.value, "message": p.message}
            for p in tally.errors_sample
        ],
        "header_mapping": mapping.echo(),
        "duration_seconds": round(duration_seconds, 3),
    }


def failure_report(record: ImportRecord, error: str) -> dict[str, Any]:
    return {**_file(record), "error": error}


def _missing_text(report: dict[str, Any]) -> str:
    missing = report.get("missing_fields") or {}
    return ", ".join(f"{field}: {count}" for field, count in missing.items()) or "none"


def _email_data(site: "ImportSite", record: ImportRecord, report: dict[str, Any]) -> dict[str, str]:
    base = site.public_url.rstrip("/")
    data = {
        "file_name": record.file.name,
        "kind": record.kind.value,
        "mode": record.mode.value,
        "import_url": f"{base}/api/imports/{record.id}",
        "errors_url": f"{base}/api/imports/{record.id}/errors.csv",
        "dry_run_note": ", dry run: nothing was changed" if record.dry_run else "",
        "missing_fields": _missing_text(report),
    }
    for name in ("total_rows", "created", "updated", "unchanged", "skipped", "invalid"):
        data[name] = str(report.get(name, 0))
    data["duplicates"] = str(report.get("duplicates", 0))
    data["removed"] = str(report.get("removed", 0))
    if "error" in report:
        data["error"] = str(report["error"])
    return data


def finished_notifications(
    notifier: "Notifier", site: "ImportSite", record: ImportRecord, report: dict[str, Any]
) -> list[Notification]:
    """One email to the uploader and one to ADMIN_EMAIL (one if they are the same)."""
    kind = "import_failed" if "error" in report else "import_finished"
    data = _email_data(site, record, report)
    recipients = dict.fromkeys(
        address.lower() for address in (record.uploader_email, site.admin_email) if address
    )
    source = f"import:{record.id}"
    return [notifier.email(kind, to=address, data=data, source=source) for address in recipients]
