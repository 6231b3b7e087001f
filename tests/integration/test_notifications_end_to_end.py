"""From use case to mailbox in the embedded mode: CreateUser commits the account and its
notification, kicks the relay on the in-process broker, and the outbox-folder mailer writes the
message as one .eml file."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from adapters.sqlalchemy.migrator import upgrade_to_head
from application.accounts.commands import CreateUserCommand
from application.notifications.relay import RelayReport
from domain.accounts.model import Role
from entrypoints.container import Container
from entrypoints.settings import load_settings
from entrypoints.worker.tasks import prepare_broker

PASSWORD = "violet kettle harbour 42"


async def test_a_new_account_lands_as_one_eml_file_in_the_outbox(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "integration-tests-only-signing-key-0123456789",
            "PUBLIC_URL": "https://residence.example.edu",
        },
        dotenv=None,
    )
    settings.var_dir.mkdir(parents=True)
    container = Container(settings=settings)
    try:
        await upgrade_to_head(container.engine())
        broker = prepare_broker(container)
        await broker.startup()
        try:
            command = CreateUserCommand(email="Ada@Example.edu", password=PASSWORD, role=Role.STAFF)
            await container.accounts.create_user()(command)
            await broker.wait_all()  # type: ignore[attr-defined]
        finally:
            await broker.shutdown()
        # The scheduled run after it (or the same task delivered twice) finds nothing to send.
        assert await container.notifications.relay_notifications()() == RelayReport()
    finally:
        await container.engine().dispose()

    [file] = sorted(settings.outbox_dir.glob("*.eml"))
    raw = file.read_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["To"] == "ada@example.edu"
    assert message["Subject"] == "Your Campus Residence account"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Sign in at https://residence.example.edu" in text.get_content()
    assert 'href="https://residence.example.edu"' in html.get_content()
    assert PASSWORD.encode() not in raw
