"""`residence dev` on a temporary folder with an admin signed in over HTTP and a little data, for
the tests that drive the whole API over real HTTP: the schema fuzz and the walk of every
operation without a token or with the wrong role."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.integration.residence_process import free_port, residence, run_residence

ADMIN_EMAIL = "warden@example.edu"
ADMIN_PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "another long passphrase for tests"
TIMEOUT_SECONDS = 30
# The fuzzer tries many wrong logins from one address; the throttle must not lock out the
# sign-ins the tests themselves need.
UNTHROTTLED = {
    "LOGIN_FAILURES_PER_ACCOUNT": "1000000",
    "LOGIN_FAILURES_PER_ADDRESS": "1000000",
}


def create_admin(workdir: Path, email: str = ADMIN_EMAIL) -> str:
    """`residence create-admin` with the password piped in, as a script runs it; returns the
    new account's id."""
    created = run_residence(
        ["create-admin", "--email", email], workdir, stdin=f"{ADMIN_PASSWORD}\n"
    )
    assert created.returncode == 0, created.stderr
    found = re.fullmatch(
        rf"Created admin {re.escape(email)} \(([0-9a-f-]{{36}})\)\n", created.stdout
    )
    assert found, created.stdout
    return found.group(1)


def log_in(base: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
    """An access token for the account, through POST /api/auth/login."""
    response = httpx.post(
        f"{base}/api/auth/login",
        json={"email": email, "password": password},
        timeout=TIMEOUT_SECONDS,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Account:
    """An account the tests sign in as, keeping one access token until `sign_in_again`.
    `password` is kept in step by whoever resets it through the API."""

    base: str
    email: str
    password: str
    id: str = ""
    token: str = ""

    def log_in(self) -> str:
        return log_in(self.base, self.email, self.password)

    def headers(self) -> dict[str, str]:
        if not self.token:
            self.token = self.log_in()
        return bearer(self.token)

    def still_signed_in(self) -> bool:
        me = httpx.get(f"{self.base}/api/auth/me", headers=self.headers(), timeout=TIMEOUT_SECONDS)
        return me.status_code == 200

    def sign_in_again(self) -> None:
        self.token = self.log_in()


@dataclass
class RunningApi:
    base: str
    admin: Account
    # Ids of the seeded records, by the name of the path parameter that takes them.
    seeded: dict[str, str] = field(default_factory=dict)

    def post(self, path: str, body: dict[str, Any], status: int) -> dict[str, Any]:
        """POSTs as the admin and checks the status."""
        response = httpx.post(
            f"{self.base}{path}", json=body, headers=self.admin.headers(), timeout=TIMEOUT_SECONDS
        )
        assert response.status_code == status, f"POST {path}: {response.text}"
        return dict(response.json())

    def add_account(self, role: str, email: str, resident_id: str | None = None) -> Account:
        """A new account of `role`, created by the admin."""
        body = {"email": email, "password": OTHER_PASSWORD, "role": role}
        if resident_id is not None:
            body["resident_id"] = resident_id
        created = self.post("/api/users", body, 201)
        return Account(self.base, email, OTHER_PASSWORD, created["id"])


def _seed(api: RunningApi) -> None:
    """A building, a room with its beds, a resident, a term and a booking, so that path
    parameters can name records that exist."""
    building = api.post(
        "/api/buildings",
        {"code": "NH", "name": "North Hall", "address": "1 College Road", "floors": 5},
        201,
    )
    room = api.post(
        "/api/rooms",
        {
            "building_id": building["id"],
            "number": "101",
            "floor": 1,
            "type": "double",
            "nightly_rate": {"amount": "42.50", "currency": "EUR"},
        },
        201,
    )
    beds = httpx.get(
        f"{api.base}/api/rooms/{room['id']}/beds",
        headers=api.admin.headers(),
        timeout=TIMEOUT_SECONDS,
    ).json()
    resident = api.post(
        "/api/residents",
        {
            "student_id": "00412345",
            "first_name": "Ada",
            "last_name": "Okafor",
            "email": "ada.okafor@example.edu",
        },
        201,
    )
    term = api.post(
        "/api/terms",
        {"name": "Autumn 2030", "starts_on": "2030-09-21", "ends_on": "2030-12-19"},
        201,
    )
    booking = api.post("/api/bookings", {"resident_id": resident["id"], "term_id": term["id"]}, 202)
    # Not the admin's own id: a fuzzed password reset or deactivation must not aim at the
    # account the fuzzer signs in with more often than chance makes it.
    spare = api.add_account("staff", "spare.staff@example.edu")
    api.seeded = {
        "building_id": building["id"],
        "room_id": room["id"],
        "bed_id": beds[0]["id"],
        "resident_id": resident["id"],
        "term_id": term["id"],
        "booking_id": booking["id"],
        "job_id": booking["job_id"],
        "user_id": spare.id,
    }


@contextmanager
def running_api(workdir: Path) -> Iterator[RunningApi]:
    """`residence dev` on the embedded defaults (SQLite under `workdir`, in-process broker),
    with its first admin and the seeded records."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with residence(["dev", "--port", str(port)], workdir, **UNTHROTTLED) as dev:
        dev.wait_until_ready(f"{base}/health/ready")
        admin_id = create_admin(workdir)
        api = RunningApi(base, Account(base, ADMIN_EMAIL, ADMIN_PASSWORD, admin_id))
        _seed(api)
        yield api
        assert dev.stop() == 0, dev.transcript()
        assert "Traceback" not in dev.transcript(), dev.transcript()
