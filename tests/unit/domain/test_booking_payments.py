"""Payment webhook signatures: a signed call passes, anything altered, stale or missing does not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bookings.errors import InvalidSignature, SignatureProblem
from domain.bookings.payments import (
    DEFAULT_TOLERANCE_SECONDS,
    sign,
    signature_header,
    verify_signature,
)
from domain.shared.errors import Unauthenticated

SECRET = b"whsec_test"
OLD_SECRET = b"whsec_retired"
NOW = 1_700_000_000
BODY = b'{"id":"evt_1"}'

secrets = st.binary(min_size=1, max_size=64)
bodies = st.binary(max_size=512)
timestamps = st.integers(min_value=0, max_value=4_000_000_000)
skews = st.integers(min_value=-DEFAULT_TOLERANCE_SECONDS, max_value=DEFAULT_TOLERANCE_SECONDS)


def problem_of(header: str | None, body: bytes = BODY, now: int = NOW) -> SignatureProblem:
    with pytest.raises(InvalidSignature) as refused:
        verify_signature(SECRET, header, body, now)
    return refused.value.problem


def test_a_known_signature() -> None:
    # Computed apart from this code: printf '1700000000.{"id":"evt_1"}' | openssl dgst -sha256
    # -hmac whsec_test
    expected = "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"
    assert sign(SECRET, NOW, BODY) == expected
    assert verify_signature(SECRET, f"t={NOW},v1={expected}", BODY, NOW) == NOW


@given(secrets, timestamps, bodies, skews)
def test_what_is_signed_verifies_within_the_tolerance(
    secret: bytes, timestamp: int, body: bytes, skew: int
) -> None:
    header = signature_header(secret, timestamp, body)
    assert verify_signature(secret, header, body, timestamp + skew) == timestamp


@given(secrets, timestamps, bodies.filter(bool), st.data())
def test_any_flipped_bit_in_the_body_is_refused(
    secret: bytes, timestamp: int, body: bytes, data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    altered = bytearray(body)
    altered[index] ^= 1 << bit
    header = signature_header(secret, timestamp, body)

    with pytest.raises(InvalidSignature) as refused:
        verify_signature(secret, header, bytes(altered), timestamp)
    assert refused.value.problem is SignatureProblem.MISMATCH


@given(timestamps, bodies, st.integers(min_value=0, max_value=63), st.characters())
def test_any_changed_character_of_the_signature_is_refused(
    timestamp: int, body: bytes, index: int, replacement: str
) -> None:
    signature = sign(SECRET, timestamp, body)
    if signature[index] == replacement:
        return
    forged = signature[:index] + replacement + signature[index + 1 :]
    with pytest.raises(InvalidSignature):
        verify_signature(SECRET, f"t={timestamp},v1={forged}", body, timestamp)


@given(secrets.filter(lambda secret: secret != SECRET), bodies)
def test_another_secret_is_refused(secret: bytes, body: bytes) -> None:
    assert problem_of(signature_header(secret, NOW, body), body) is SignatureProblem.MISMATCH


@given(st.integers(min_value=DEFAULT_TOLERANCE_SECONDS + 1, max_value=10**9), st.booleans())
def test_a_timestamp_outside_the_tolerance_is_refused_either_way(
    distance: int, in_the_future: bool
) -> None:
    timestamp = NOW + distance if in_the_future else NOW - distance
    header = signature_header(SECRET, timestamp, BODY)
    assert problem_of(header) is SignatureProblem.STALE


def test_a_signature_moved_to_another_time_is_refused() -> None:
    # A replay that rewrites `t` to pass the time check breaks the signature instead.
    signature = sign(SECRET, NOW - 3600, BODY)
    assert problem_of(f"t={NOW},v1={signature}") is SignatureProblem.MISMATCH


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_during_a_secret_rotation_either_signature_will_do(order: str) -> None:
    entries = [f"v1={sign(OLD_SECRET, NOW, BODY)}", f"v1={sign(SECRET, NOW, BODY)}"]
    if order == "new first":
        entries.reverse()
    header = ", ".join([f"t={NOW}", "v0=legacy", *entries])
    assert verify_signature(SECRET, header, BODY, NOW) == NOW
    assert verify_signature(OLD_SECRET, header, BODY, NOW) == NOW


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, SignatureProblem.MISSING),
        ("", SignatureProblem.MISSING),
        ("   ", SignatureProblem.MISSING),
        ("garbage", SignatureProblem.MALFORMED),
        (f"v1={'0' * 64}", SignatureProblem.MALFORMED),  # no time
        (f"t={NOW}", SignatureProblem.MALFORMED),  # no signature
        (f"t={NOW},v0={'0' * 64}", SignatureProblem.MALFORMED),  # only an unknown scheme
        (f"t={NOW},t={NOW},v1={'0' * 64}", SignatureProblem.MALFORMED),  # which time?
        (f"t=-{NOW},v1={'0' * 64}", SignatureProblem.MALFORMED),
        (f"t=1_700_000_000,v1={'0' * 64}", SignatureProblem.MALFORMED),
        # Arabic-Indic digits: int() reads them, a header must not.
        (f"t={chr(0x661) * 10},v1={'0' * 64}", SignatureProblem.MALFORMED),
        (f"t={'9' * 5000},v1={'0' * 64}", SignatureProblem.MALFORMED),
        (f"t={NOW},v1={'0' * 64}", SignatureProblem.MISMATCH),
        (f"t={NOW},v1={sign(SECRET, NOW, BODY).upper()}", SignatureProblem.MISMATCH),
    ],
)
def test_malformed_headers_are_refused_and_say_why_in_the_log(
    header: str | None, problem: SignatureProblem
) -> None:
    assert problem_of(header) is problem


@given(st.text(max_size=200))
def test_a_made_up_header_is_refused_as_unauthenticated(header: str) -> None:
    with pytest.raises(InvalidSignature) as refused:
        verify_signature(SECRET, header, BODY, NOW)
    assert isinstance(refused.value, Unauthenticated)
    # The caller learns nothing about which check failed.
    assert refused.value.message == "the webhook signature could not be verified"


def test_a_negative_tolerance_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="tolerance"):
        verify_signature(SECRET, signature_header(SECRET, NOW, BODY), BODY, NOW, -1)
