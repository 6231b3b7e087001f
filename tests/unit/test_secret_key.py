"""The embedded mode's signing key: made once under VAR_DIR, private, reused, and SECRET_KEY wins."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.secret_key import SECRET_KEY_FILE, embedded_secret_key
from entrypoints.settings import Settings, SettingsError, load_settings


def _settings(var_dir: Path, **environ: str) -> Settings:
    return load_settings({"VAR_DIR": str(var_dir), **environ}, dotenv=None)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """A umask that would leave new files readable by everyone."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
def test_the_first_start_creates_a_random_key_only_its_owner_can_read(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"

    key = embedded_secret_key(_settings(var_dir))

    path = var_dir / SECRET_KEY_FILE
    assert len(key) == 64
    assert path.read_text(encoding="utf-8") == f"{key}\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_every_later_start_reads_the_same_key(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "var")

    first = embedded_secret_key(settings)

    assert embedded_secret_key(settings) == first
    assert embedded_secret_key(_settings(tmp_path / "var")) == first


def test_two_installations_get_different_keys(tmp_path: Path) -> None:
    assert embedded_secret_key(_settings(tmp_path / "a")) != embedded_secret_key(
        _settings(tmp_path / "b")
    )


def test_secret_key_from_the_environment_wins_and_no_file_is_written(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    configured = "s" * 40

    assert embedded_secret_key(_settings(var_dir, SECRET_KEY=configured)) == configured
    assert not (var_dir / SECRET_KEY_FILE).exists()


def test_secret_key_from_the_environment_wins_over_an_existing_file(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    from_file = embedded_secret_key(_settings(var_dir))
    configured = "s" * 40

    assert embedded_secret_key(_settings(var_dir, SECRET_KEY=configured)) == configured
    assert (var_dir / SECRET_KEY_FILE).read_text(encoding="utf-8").strip() == from_file


@pytest.mark.parametrize("content", ["", "\n", "too-short\n"])
def test_a_damaged_key_file_is_reported_not_replaced(tmp_path: Path, content: str) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / SECRET_KEY_FILE).write_text(content, encoding="utf-8")

    with pytest.raises(SettingsError, match=r"^SECRET_KEY: .*secret_key holds fewer than 32"):
        embedded_secret_key(_settings(var_dir))

    assert (var_dir / SECRET_KEY_FILE).read_text(encoding="utf-8") == content
