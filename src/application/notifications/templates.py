"""Message templates: for each kind of notification a subject, a plain-text body and an HTML
body, filled with the notification's data.

Templates use `string.Template` placeholders (`$login_url`). Values are inserted as they are into
the subject and the text, and HTML-escaped into the HTML. Adding a kind is adding an entry to
TEMPLATES; the variables it needs are read from its placeholders."""

import html
from collections.abc import Mapping
from string import Template

import msgspec

from domain.shared.errors import InvalidValue

# Two concatenated GSM-7 segments (153 characters each): long enough for a notice with a link,
# short enough to cost two messages at most.
SMS_MAX_LENGTH = 306
_SMS_ELLIPSIS = "..."  # ASCII: one non-GSM character would halve every segment


class UnknownNotificationKind(InvalidValue):
    def __init__(self, kind: str) -> None:
        super().__init__("kind", f"no template for notifications of kind {kind!r}")
        self.kind = kind


class MissingTemplateVariable(InvalidValue):
    def __init__(self, kind: str, name: str) -> None:
        super().__init__(
            f"data.{name}", f"the {kind!r} template needs ${name}, which the data does not have"
        )
        self.kind = kind
        self.name = name


class MessageTemplate(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    text: str
    html: str

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(
            name
            for source in (self.subject, self.text, self.html)
            for name in Template(source).get_identifiers()
        )


class RenderedMessage(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    text: str
    html: str


def _page(content: str) -> str:
    """The HTML frame every email shares; `content` is a template fragment."""
    return (
        '<!DOCTYPE html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n'
        f"{content}\n"
        '<p style="color: #666">Campus Residence</p>\n</body></html>\n'
    )


_SIGNATURE = "\n\n-- \nCampus Residence\n"


def _booking_notice(subject: str, lead: str) -> MessageTemplate:
    """A notice about a resident's booking: one paragraph (`lead`, plain text with
    placeholders), then where to see their bookings."""
    return MessageTemplate(
        subject=subject,
        text=f"Hello $first_name,\n\n{lead}\n\nSee your bookings at $login_url.{_SIGNATURE}",
        html=_page(
            f"<p>Hello $first_name,</p>\n<p>{lead}</p>\n"
            '<p>See your bookings at <a href="$login_url">$login_url</a>.</p>'
        ),
    )


def _payment_notice(subject: str, lead: str) -> MessageTemplate:
    """A booking notice that asks for payment: the lead, then the amount, the link to pay at
    and the deadline."""
    pay = "Pay $amount before $hold_expires_at at"
    return MessageTemplate(
        subject=subject,
        text=(
            f"Hello $first_name,\n\n{lead}\n\n{pay}:\n$payment_url\n\n"
            f"An unpaid hold is released at that time. See your bookings at $login_url.{_SIGNATURE}"
        ),
        html=_page(
            f"<p>Hello $first_name,</p>\n<p>{lead}</p>\n"
            f'<p>{pay} <a href="$payment_url">$payment_url</a>.</p>\n'
            "<p>An unpaid hold is released at that time. See your bookings at "
            '<a href="$login_url">$login_url</a>.</p>'
        ),
    )


# Stays read "from <first night> to <departure day>", the way residents count them.
_BOOKING_NOTICES = {
    "booking_held": _payment_notice(
        "A bed is held for you until $hold_expires_at",
        "A bed is held for your stay from $starts_on to $ends_on until $hold_expires_at. Pay "
        "before then to confirm it.",
    ),
    "booking_offered": _payment_notice(
        "A bed came free for you: pay by $hold_expires_at",
        "A bed came free for your stay from $starts_on to $ends_on, and you were next on the "
        "waitlist. It is held for you until $hold_expires_at.",
    ),
    "booking_hold_expiring": _payment_notice(
        "Your held bed is released at $hold_expires_at unless paid",
        "The bed held for your stay from $starts_on to $ends_on is not paid yet, and its hold "
        "runs out at $hold_expires_at.",
    ),
    "booking_confirmed": _booking_notice(
        "Your booking is confirmed",
        "We received your payment: your bed for the stay from $starts_on to $ends_on is confirmed.",
    ),
    "booking_waitlisted": _booking_notice(
        "You are on the waitlist",
        "No suitable bed is free yet for your stay from $starts_on to $ends_on. You are on the "
        "waitlist, and a bed will be held for you as soon as one that suits you comes free.",
    ),
    "booking_rejected": _booking_notice(
        "Your booking request was declined",
        "Your request for a stay from $starts_on to $ends_on was declined: $reason.",
    ),
    "booking_expired": _booking_notice(
        "Your held bed was released",
        "The bed held for your stay from $starts_on to $ends_on was released because it was "
        "not paid by its deadline. You may request a bed again.",
    ),
    "booking_cancelled": _booking_notice(
        "Your booking was cancelled",
        "Your booking for a stay from $starts_on to $ends_on was cancelled. Reason: $reason.",
    ),
    "booking_checked_out": _booking_notice(
        "You have checked out",
        "You checked out on $checked_out_on from your stay booked from $starts_on to $ends_on. "
        "Thank you for staying with us.",
    ),
    "booking_moved": _booking_notice(
        "Your booking moved to another bed",
        "The residence office moved your booking for the stay from $starts_on to $ends_on to "
        "another bed.",
    ),
    # Data: the closure's dates and reason, and the stay it meets.
    "closure_notice": _booking_notice(
        "Your bed is closed from $closed_from",
        "Your bed is closed from $closed_from and reopens on $reopens_on ($reason), during "
        "your stay from $starts_on to $ends_on. The residence office will contact you to "
        "move you.",
    ),
}


def _notice(subject: str, greeting: str, lead: str) -> MessageTemplate:
    """One paragraph (`lead`, plain text with placeholders) after a greeting."""
    return MessageTemplate(
        subject=subject,
        text=f"{greeting}\n\n{lead}\n\nSee it at $login_url.{_SIGNATURE}",
        html=_page(
            f"<p>{greeting}</p>\n<p>{lead}</p>\n"
            '<p>See it at <a href="$login_url">$login_url</a>.</p>'
        ),
    )


# Maintenance requests: `reference` is the request's short id, `place` where the work is.
_MAINTENANCE_NOTICES = {
    "maintenance_received": _notice(
        "Maintenance request $reference received",
        "Hello $first_name,",
        "We received your $category request ($priority priority) for $place, reference "
        "$reference. $assignment It is due to be dealt with by $due_at.",
    ),
    "maintenance_status": _notice(
        "Maintenance request $reference: $state",
        "Hello $first_name,",
        "Your maintenance request $reference for $place is now $state. $note",
    ),
    "maintenance_assigned": _notice(
        "New work: $category, $priority priority, at $place",
        "Hello,",
        "Request $reference is assigned to you: $category ($priority priority) at $place, due "
        "by $due_at. $description Permission to enter: $permission_to_enter. Preferred "
        "times: $preferred_times.",
    ),
    "maintenance_unassigned": _notice(
        "No technician for maintenance request $reference",
        "Hello,",
        "No active technician with the $category skill could take request $reference "
        "($priority priority) at $place, due by $due_at. Assign it by hand.",
    ),
    "maintenance_overdue": _notice(
        "Overdue: maintenance request $reference (level $level)",
        "Hello,",
        "Request $reference ($category, $priority priority) at $place was due by $due_at and "
        "is still $state. Escalation level $level.",
    ),
}

TEMPLATES: dict[str, MessageTemplate] = {
    # Never carries the password: whoever created the account hands it over another way.
    "account_created": MessageTemplate(
        subject="Your Campus Residence account",
        text=(
            "Hello,\n\n"
            "An account on Campus Residence has been created for $email (role: $role).\n\n"
            "Sign in at $login_url with this email address. Your password is never sent by "
            "email: the person who created the account will give it to you."
            f"{_SIGNATURE}"
        ),
        html=_page(
            "<p>Hello,</p>\n"
            "<p>An account on Campus Residence has been created for <strong>$email</strong> "
            "(role: $role).</p>\n"
            '<p>Sign in at <a href="$login_url">$login_url</a> with this email address. Your '
            "password is never sent by email: the person who created the account will give it "
            "to you.</p>"
        ),
    ),
    "password_reset": MessageTemplate(
        subject="Your Campus Residence password was reset",
        text=(
            "Hello,\n\n"
            "An administrator reset the password of your Campus Residence account ($email) "
            "on $reset_at, and signed you out everywhere.\n\n"
            "Sign in at $login_url with the new password the administrator gives you.\n\n"
            "If you did not expect this, contact the residence office at once."
            f"{_SIGNATURE}"
        ),
        html=_page(
            "<p>Hello,</p>\n"
            "<p>An administrator reset the password of your Campus Residence account "
            "(<strong>$email</strong>) on $reset_at, and signed you out everywhere.</p>\n"
            '<p>Sign in at <a href="$login_url">$login_url</a> with the new password the '
            "administrator gives you.</p>\n"
            "<p><strong>If you did not expect this, contact the residence office at once.</strong>"
            "</p>"
        ),
    ),
    "import_finished": MessageTemplate(
        subject="Import of $file_name finished: $created created, $invalid invalid",
        text=(
            "Hello,\n\n"
            "The $kind import of $file_name (mode $mode$dry_run_note) finished.\n\n"
            "Rows: $total_rows\n"
            "Created: $created\nUpdated: $updated\nUnchanged: $unchanged\n"
            "Skipped: $skipped\nInvalid: $invalid\nDuplicates: $duplicates\n"
            "Removed: $removed\n\n"
            "Rows missing a required field: $missing_fields\n\n"
            "Every problem, by line and column: $errors_url"
            f"{_SIGNATURE}"
        ),
        html=_page(
            "<p>Hello,</p>\n"
            "<p>The $kind import of <strong>$file_name</strong> (mode $mode$dry_run_note) "
            "finished.</p>\n<table>\n"
            "<tr><td>Rows</td><td>$total_rows</td></tr>\n"
            "<tr><td>Created</td><td>$created</td></tr>\n"
            "<tr><td>Updated</td><td>$updated</td></tr>\n"
            "<tr><td>Unchanged</td><td>$unchanged</td></tr>\n"
            "<tr><td>Skipped</td><td>$skipped</td></tr>\n"
            "<tr><td>Invalid</td><td>$invalid</td></tr>\n"
            "<tr><td>Duplicates</td><td>$duplicates</td></tr>\n"
            "<tr><td>Removed</td><td>$removed</td></tr>\n</table>\n"
            "<p>Rows missing a required field: $missing_fields</p>\n"
            '<p>Every problem, by line and column: <a href="$errors_url">$errors_url</a></p>'
        ),
    ),
    "import_failed": MessageTemplate(
        subject="Import of $file_name failed",
        text=(
            "Hello,\n\n"
            "The $kind import of $file_name failed:\n\n$error\n\nThe import: $import_url"
            f"{_SIGNATURE}"
        ),
        html=_page(
            "<p>Hello,</p>\n"
            "<p>The $kind import of <strong>$file_name</strong> failed:</p>\n"
            "<p><strong>$error</strong></p>\n"
            '<p>The import: <a href="$import_url">$import_url</a></p>'
        ),
    ),
    "sync_failed": MessageTemplate(
        subject="Directory sync failed",
        text=(
            "Hello,\n\n"
            "The student-directory sync ($source) failed:\n\n$error\n\n"
            "Its report: GET /api/sync-runs/$run_id"
            f"{_SIGNATURE}"
        ),
        html=_page(
            "<p>Hello,</p>\n"
            "<p>The student-directory sync ($source) failed:</p>\n"
            "<p><strong>$error</strong></p>\n"
            "<p>Its report: <code>GET /api/sync-runs/$run_id</code></p>"
        ),
    ),
    # The title opens the text too: an SMS has no subject line.
    "announcement": MessageTemplate(
        subject="$title",
        text=f"$title\n\n$body{_SIGNATURE}",
        html=_page('<h1>$title</h1>\n<p style="white-space: pre-line">$body</p>'),
    ),
    **_BOOKING_NOTICES,
    **_MAINTENANCE_NOTICES,
}


def check_data(
    kind: str, data: Mapping[str, str], templates: Mapping[str, MessageTemplate] = TEMPLATES
) -> None:
    """Raises when `kind` has no template or `data` lacks one of its variables; run when a
    notification is queued, so a mistake fails the change that caused it, not a later send."""
    template = templates.get(kind)
    if template is None:
        raise UnknownNotificationKind(kind)
    missing = sorted(template.variables - data.keys())
    if missing:
        raise MissingTemplateVariable(kind, missing[0])


def render(
    kind: str, data: Mapping[str, str], templates: Mapping[str, MessageTemplate] = TEMPLATES
) -> RenderedMessage:
    check_data(kind, data, templates)
    template = templates[kind]
    escaped = {name: html.escape(value, quote=True) for name, value in data.items()}
    subject = Template(template.subject).substitute(data)
    return RenderedMessage(
        # A line break in a value must not end the header line (or start a new header).
        subject=" ".join(subject.split()),
        text=Template(template.text).substitute(data),
        html=Template(template.html).substitute(escaped),
    )


def sms_text(message: RenderedMessage, max_length: int = SMS_MAX_LENGTH) -> str:
    """The plain text, trimmed at a word boundary to `max_length` characters."""
    text = message.text.strip()
    if len(text) <= max_length:
        return text
    cut = text[: max_length - len(_SMS_ELLIPSIS)]
    word_end = cut.rfind(" ")
    if word_end > max_length // 2:
        cut = cut[:word_end]
    return cut.rstrip() + _SMS_ELLIPSIS
