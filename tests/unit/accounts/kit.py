"""The accounts use cases wired to the in-memory fakes, with shortcuts for common set-ups."""

from typing import Any
from uuid import UUID

from application.accounts.audit import RecordAudit, SearchAudit
from application.accounts.commands import CreateUserCommand, LoginCommand, RefreshCommand
from application.accounts.model import LoginLimits
from application.accounts.ports import AccountsUnitOfWork
from application.accounts.sessions import (
    Authenticate,
    Login,
    Logout,
    RefreshSession,
    SessionIssuer,
    TokenPolicy,
)
from application.accounts.users import CreateUser, GetUser, ResetPassword, UpdateUser
from application.accounts.views import SessionView, UserView
from application.notifications.notifier import Notifier
from domain.accounts.model import Principal, Role, User
from tests.fakes import (
    FakeTokenCodec,
    FixedClock,
    InMemoryAccountQueries,
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryAuditLog,
    InMemoryLoginThrottle,
    PlainPasswordHasher,
    RecordingBackgroundTasks,
)
from tests.unit.application.kit import Housing

PASSWORD = "violet kettle harbour 42"
ADDRESS = "192.0.2.10"
LOGIN_URL = "https://residence.example.edu/"


class Accounts:
    """Every accounts use case over one in-memory store; residents live in a housing kit."""

    def __init__(self, limits: LoginLimits | None = None) -> None:
        self.clock = FixedClock()
        self.store = InMemoryAccountsStore(self.clock)
        self.queries = InMemoryAccountQueries(self.store)
        self.hasher = PlainPasswordHasher()
        self.codec = FakeTokenCodec()
        self.policy = TokenPolicy()
        self.limits = limits or LoginLimits()
        self.throttle = InMemoryLoginThrottle(self.clock, self.limits)
        self.audit_log = InMemoryAuditLog()
        self.housing = Housing()
        issuer = SessionIssuer(self.codec, self.clock, self.policy)
        # Records, with each request to deliver, how many notifications were committed by then.
        self.background_tasks = RecordingBackgroundTasks(
            observe=lambda: len(self.store.notifications.rows)
        )
        self.notifier = Notifier(self.clock, self.background_tasks, {"login_url": LOGIN_URL})

        self.login = Login(self.uow, self.hasher, self.throttle, issuer)
        self.refresh = RefreshSession(self.uow, issuer, self.clock)
        self.logout = Logout(self.uow, self.codec, self.clock)
        self.authenticate = Authenticate(self.queries, self.codec)

        self.create_user = CreateUser(
            self.uow, self.hasher, self.queries, self.housing.queries, self.notifier
        )
        self.update_user = UpdateUser(self.uow, self.queries, self.clock)
        self.reset_password = ResetPassword(self.uow, self.hasher, self.clock, self.notifier)
        self.get_user = GetUser(self.queries)

        self.record_audit = RecordAudit(self.audit_log, self.clock)
        self.search_audit = SearchAudit(self.audit_log)

    def uow(self) -> AccountsUnitOfWork:
        return InMemoryAccountsUnitOfWork(self.store)

    async def user(self, **overrides: Any) -> UserView:
        fields: dict[str, Any] = {
            "email": "warden@example.edu",
            "password": PASSWORD,
            "role": Role.STAFF,
        }
        return await self.create_user(CreateUserCommand(**(fields | overrides)))

    async def admin(self, email: str = "admin@example.edu") -> Principal:
        view = await self.user(email=email, role=Role.ADMIN)
        return Principal(user_id=view.id, role=view.role)

    async def resident_account(self, **overrides: Any) -> UserView:
        resident = await self.housing.resident(**overrides)
        return await self.user(email=resident.email, role=Role.RESIDENT, resident_id=resident.id)

    async def session(
        self, email: str = "warden@example.edu", password: str = PASSWORD, address: str = ADDRESS
    ) -> SessionView:
        return await self.login(LoginCommand(email=email, password=password), address)

    async def refresh_with(self, session: SessionView) -> SessionView:
        return await self.refresh(RefreshCommand(refresh_token=session.refresh_token))

    def stored(self, user_id: UUID) -> User:
        """The committed account, as the store holds it (edits change the store)."""
        return self.store.tables.users[user_id]
