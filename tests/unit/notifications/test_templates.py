"""Message templates: every kind renders a subject, a text and an HTML body from its data."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.notifications.templates import (
    SMS_MAX_LENGTH,
    TEMPLATES,
    MessageTemplate,
    MissingTemplateVariable,
    RenderedMessage,
    UnknownNotificationKind,
    check_data,
    render,
    sms_text,
)

ACCOUNT = {
    "email": "ada@example.edu",
    "role": "resident",
    "login_url": "https://residence.example.edu/",
}
RESET = {
    "email": "ada@example.edu",
    "reset_at": "01 September 2026 at 09:00 UTC",
    "login_url": "https://residence.example.edu/",
}
# A notice that asks for payment names the amount, the link and the deadline.
PAYMENT_NOTICE = {
    "first_name",
    "starts_on",
    "ends_on",
    "hold_expires_at",
    "amount",
    "payment_url",
    "login_url",
}

_ABOUT_A_REQUEST = {"reference", "place", "category", "priority", "login_url"}
MAINTENANCE_VARIABLES = {
    "maintenance_received": _ABOUT_A_REQUEST | {"first_name", "assignment", "due_at"},
    "maintenance_status": {"reference", "place", "first_name", "state", "note", "login_url"},
    "maintenance_assigned": _ABOUT_A_REQUEST
    | {"due_at", "description", "permission_to_enter", "preferred_times"},
    "maintenance_unassigned": _ABOUT_A_REQUEST | {"due_at"},
    "maintenance_overdue": _ABOUT_A_REQUEST | {"due_at", "state", "level"},
}


def test_each_kind_names_the_variables_it_needs() -> None:
    assert {kind: set(template.variables) for kind, template in TEMPLATES.items()} == {
        "account_created": {"email", "role", "login_url"},
        "password_reset": {"email", "reset_at", "login_url"},
        "announcement": {"title", "body"},
        "import_finished": {
            "file_name",
            "kind",
            "mode",
            "dry_run_note",
            "total_rows",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "invalid",
            "duplicates",
            "removed",
            "missing_fields",
            "errors_url",
        },
        "import_failed": {"file_name", "kind", "error", "import_url"},
        "booking_held": PAYMENT_NOTICE,
        "booking_offered": PAYMENT_NOTICE,
        "booking_hold_expiring": PAYMENT_NOTICE,
        "booking_confirmed": {"first_name", "starts_on", "ends_on", "login_url"},
        "booking_waitlisted": {"first_name", "starts_on", "ends_on", "login_url"},
        "booking_rejected": {"first_name", "starts_on", "ends_on", "reason", "login_url"},
        "booking_expired": {"first_name", "starts_on", "ends_on", "login_url"},
        "booking_cancelled": {"first_name", "starts_on", "ends_on", "reason", "login_url"},
        "booking_checked_out": {
            "first_name",
            "starts_on",
            "ends_on",
            "checked_out_on",
            "login_url",
        },
        "booking_moved": {"first_name", "starts_on", "ends_on", "login_url"},
        "closure_notice": {
            "first_name",
            "closed_from",
            "reopens_on",
            "reason",
            "starts_on",
            "ends_on",
            "login_url",
        },
        "sync_failed": {"run_id", "source", "error"},
        **MAINTENANCE_VARIABLES,
    }


def test_account_created_says_where_to_sign_in_and_that_no_password_is_mailed() -> None:
    message = render("account_created", ACCOUNT)

    assert message.subject == "Your Campus Residence account"
    for body in (message.text, message.html):
        assert "ada@example.edu" in body
        assert "https://residence.example.edu/" in body
        assert "password is never sent by email" in body
    assert '<a href="https://residence.example.edu/">' in message.html


def test_password_reset_says_who_reset_it_and_whom_to_contact() -> None:
    message = render("password_reset", RESET)

    assert message.subject == "Your Campus Residence password was reset"
    for body in (message.text, message.html):
        assert "An administrator reset the password" in body
        assert "01 September 2026 at 09:00 UTC" in body
        assert "If you did not expect this, contact the residence office" in body


def test_an_announcement_is_its_title_and_body() -> None:
    message = render("announcement", {"title": "Fire drill", "body": "Tuesday at ten.\nBe quick."})

    assert message.subject == "Fire drill"
    # The text opens with the title, since an SMS has no subject.
    assert message.text.startswith("Fire drill\n\nTuesday at ten.\nBe quick.")
    assert "<h1>Fire drill</h1>" in message.html


def test_values_are_escaped_in_the_html_and_left_alone_in_the_text() -> None:
    data = {"title": "Rent & <b>fees</b>", "body": '<script>alert("x")</script>'}

    message = render("announcement", data)

    assert message.subject == "Rent & <b>fees</b>"
    assert message.text.startswith('Rent & <b>fees</b>\n\n<script>alert("x")</script>')
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in message.html
    assert "<h1>Rent &amp; &lt;b&gt;fees&lt;/b&gt;</h1>" in message.html


def test_a_line_break_in_a_value_never_breaks_the_subject_line() -> None:
    message = render(
        "announcement", {"title": "Water off\r\nBcc: everyone@example.edu", "body": "."}
    )

    assert message.subject == "Water off Bcc: everyone@example.edu"


def test_a_missing_variable_is_named() -> None:
    data = {key: value for key, value in ACCOUNT.items() if key != "login_url"}

    with pytest.raises(MissingTemplateVariable) as raised:
        render("account_created", data)

    assert raised.value.field == "data.login_url"
    assert "$login_url" in raised.value.message
    assert "'account_created'" in raised.value.message


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(UnknownNotificationKind) as raised:
        check_data("birthday", {})

    assert raised.value.field == "kind"
    assert "'birthday'" in raised.value.message


def test_extra_data_is_allowed() -> None:
    check_data("announcement", {"title": "t", "body": "b", "building": "NH"})


def test_a_new_kind_is_one_more_template() -> None:
    templates = TEMPLATES | {
        "booking_confirmed": MessageTemplate(
            subject="Bed $bed is yours", text="From $starts_on.", html="<p>From $starts_on.</p>"
        )
    }

    message = render("booking_confirmed", {"bed": "NH-101-A", "starts_on": "21 Sept"}, templates)

    assert message == RenderedMessage(
        subject="Bed NH-101-A is yours", text="From 21 Sept.", html="<p>From 21 Sept.</p>"
    )


def test_a_short_sms_is_the_whole_text() -> None:
    message = RenderedMessage(subject="s", text="  Water is off until noon.\n", html="")

    assert sms_text(message) == "Water is off until noon."


def test_a_long_sms_is_cut_at_a_word() -> None:
    message = RenderedMessage(subject="s", text="word " * 100, html="")

    text = sms_text(message)

    assert len(text) <= SMS_MAX_LENGTH
    assert text.endswith("word...")


@given(st.text(max_size=1000), st.integers(min_value=10, max_value=400))
def test_an_sms_never_exceeds_its_length_and_begins_as_the_text_does(
    text: str, max_length: int
) -> None:
    trimmed = sms_text(RenderedMessage(subject="", text=text, html=""), max_length)

    assert len(trimmed) <= max_length
    if trimmed == text.strip():
        return
    assert trimmed.endswith("...")
    assert text.strip().startswith(trimmed.removesuffix("...").rstrip())
