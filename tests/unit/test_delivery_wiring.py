"""The composition root picks the mail and SMS adapters from the configuration alone."""

from pathlib import Path

from adapters.files.outbox_mailer import OutboxFolderMailer
from adapters.files.outbox_sms import OutboxFolderSmsSender
from adapters.http.sms_gateway import HttpSmsGateway
from adapters.smtp.mailer import SmtpMailer
from application.notifications.ports import OutgoingEmail, OutgoingSms
from entrypoints.container import Container
from entrypoints.settings import load_settings


async def test_the_embedded_mode_delivers_into_the_outbox_folder(tmp_path: Path) -> None:
    outbox = tmp_path / "mail"
    container = Container(
        settings=load_settings({"VAR_DIR": str(tmp_path), "OUTBOX_DIR": str(outbox)}, dotenv=None)
    )
    mailer, sms_sender = container.mailer(), container.sms_sender()

    assert isinstance(mailer, OutboxFolderMailer)
    assert isinstance(sms_sender, OutboxFolderSmsSender)
    email = OutgoingEmail(message_id="n-1", to="ada@example.edu", subject="Hi", text="Hello")
    assert (await mailer.send([email]))[0].delivered
    assert (await sms_sender.send(OutgoingSms(message_id="n-2", to="+1555", text="Hi"))).delivered
    assert len(list(outbox.glob("*.eml"))) == 1
    assert (outbox / "sms.jsonl").is_file()


def test_urls_select_smtp_and_the_http_gateway(tmp_path: Path) -> None:
    container = Container(
        settings=load_settings(
            {
                "VAR_DIR": str(tmp_path),
                "SMTP_URL": "smtp://mail.example.edu:587",
                "SMS_GATEWAY_URL": "https://sms.example.edu/send",
                "SMS_GATEWAY_FORMAT": "form",
            },
            dotenv=None,
        )
    )

    assert isinstance(container.mailer(), SmtpMailer)
    assert isinstance(container.sms_sender(), HttpSmsGateway)
    assert container.mailer() is container.mailer()  # one per process
