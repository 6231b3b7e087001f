"""The key that signs access tokens in the embedded mode, kept in a file under VAR_DIR.

Production processes get SECRET_KEY from their environment; `residence dev` should work from a
fresh clone with no configuration, yet tokens must survive a restart, so the first start writes
a random key that every later start reads back."""

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from entrypoints.settings import MIN_SECRET_KEY_LENGTH, Settings, SettingsError

logger = logging.getLogger(__name__)

SECRET_KEY_FILE = "secret_key"
# token_urlsafe encodes 6 bits per character: 48 random bytes are 64 characters.
_GENERATED_KEY_BYTES = 48


def embedded_secret_key(settings: Settings) -> str:
    """SECRET_KEY when it is set; otherwise the key in `VAR_DIR/secret_key`, which is created
    (readable by its owner only) on the first call."""
    if settings.secret_key is not None:
        return settings.secret_key
    path = settings.var_dir / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two processes starting at once, exactly one writes; the other reads.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_urlsafe(_GENERATED_KEY_BYTES)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    logger.info("created a secret key for signing tokens in %s", path)
    return key


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError(
            f"SECRET_KEY: {path} holds fewer than {MIN_SECRET_KEY_LENGTH} characters; delete it "
            "to have a new key made (signed-in users then sign in again) or set SECRET_KEY"
        )
    if path.stat().st_mode & 0o077:
        logger.warning("%s can be read by other users; restrict it with chmod 600", path)
    return key


# What the derived webhook key is for: another purpose would derive another key from SECRET_KEY.
_WEBHOOK_KEY_PURPOSE = b"campus-residence payment webhook signatures"


def payment_webhook_secret(settings: Settings) -> bytes:
    """PAYMENT_WEBHOOK_SECRET when it is set (a real gateway gives its own); otherwise a key
    derived from SECRET_KEY, the same in every process, so the sandbox gateway and the webhook
    agree with no configuration. Deriving rather than reusing keeps a leaked webhook key from
    signing access tokens."""
    if settings.payment_webhook_secret is not None:
        return settings.payment_webhook_secret.encode()
    if settings.secret_key is None:
        raise SettingsError("PAYMENT_WEBHOOK_SECRET: set it, or SECRET_KEY to derive it from")
    key = settings.secret_key.encode()
    return hmac.new(key, _WEBHOOK_KEY_PURPOSE, hashlib.sha256).hexdigest().encode()
