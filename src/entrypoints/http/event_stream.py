"""GET /ws: the real-time event stream.

After connecting, a client sends JSON text messages and gets one answer to each:

    {"subscribe": "jobs.<id>"}    ->  {"type": "subscribed", "topic": "jobs.<id>"}
    {"unsubscribe": "jobs.<id>"}  ->  {"type": "unsubscribed", "topic": "jobs.<id>"}

A topic the caller may not follow, or a malformed message, answers
`{"type": "error", "topic": ..., "message": ...}` and the connection stays open. Events arrive
as JSON text frames whose `type` says what they are (`"job"`: the job as GET /api/jobs/{id}
shows it). Topics and who may follow them: see domain.events.topics.

The access token goes in `Authorization: Bearer <token>`, or, from a browser, as the
subprotocols `bearer, <token>` (the server answers `bearer`), or as `?token=<token>`, which
this server keeps out of its logs but a proxy in front of it may not. Without a valid token the
socket closes with 1008; a subscribe after the session ended (logout, expiry) closes it too."""

import asyncio
import contextlib
from typing import Any

import msgspec
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.config.app import AppConfig
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect, WebSocketException
from litestar.status_codes import WS_1008_POLICY_VIOLATION

from application.accounts.sessions import Authenticate
from application.events.subscriptions import AuthorizeSubscription, TopicRefused
from domain.accounts.model import Principal
from domain.events.topics import parse_topic
from domain.shared.errors import InvalidValue, Unauthenticated
from entrypoints.http.access import everyone
from entrypoints.http.socket_policy import accepted_subprotocol

MAX_TOPICS_PER_CONNECTION = 50
MAX_MESSAGE_CHARACTERS = 1000
# Events a slow client has not taken yet; past this the oldest are dropped: the newest state of
# a job is worth more than its history.
SUBSCRIBER_BACKLOG = 1000

Json = dict[str, Any]


class ClientMessage(msgspec.Struct, forbid_unknown_fields=True):
    subscribe: str | None = None
    unsubscribe: str | None = None


def read_message(text: str) -> tuple[str, str]:
    """("subscribe" or "unsubscribe", topic); ValueError with a message for the client."""
    if len(text) > MAX_MESSAGE_CHARACTERS:
        raise ValueError(f"messages are at most {MAX_MESSAGE_CHARACTERS} characters")
    try:
        message = msgspec.json.decode(text, type=ClientMessage)
    except msgspec.DecodeError as error:
        expected = 'expected {"subscribe": topic} or {"unsubscribe": topic}'
        raise ValueError(f"{expected}: {error}") from None
    if (message.subscribe is None) == (message.unsubscribe is None):
        raise ValueError('send exactly one of "subscribe" and "unsubscribe"')
    if message.subscribe is not None:
        return "subscribe", message.subscribe
    assert message.unsubscribe is not None
    return "unsubscribe", message.unsubscribe


def error(topic: str | None, message: str) -> Json:
    return {"type": "error", "topic": topic, "message": message}


class Subscriptions:
    """The topics one connection follows, each forwarded to the socket by a task of its own;
    one lock keeps answers and events from interleaving on the socket."""

    def __init__(self, socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin) -> None:
        self._socket = socket
        self._channels = channels
        self._forwarding: dict[str, tuple[Subscriber, asyncio.Task[None]]] = {}
        self._sending = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._forwarding)

    def __contains__(self, topic: str) -> bool:
        return topic in self._forwarding

    async def send(self, message: Json | bytes) -> None:
        data = message if isinstance(message, bytes) else msgspec.json.encode(message)
        async with self._sending:
            await self._socket.send_data(data, mode="text")

    async def _forward(self, subscriber: Subscriber) -> None:
        async for event in subscriber.iter_events():
            await self.send(event)

    async def add(self, topic: str) -> None:
        if topic not in self._forwarding:
            subscriber = await self._channels.subscribe(topic)
            task = asyncio.create_task(self._forward(subscriber))
            self._forwarding[topic] = (subscriber, task)

    async def remove(self, topic: str) -> None:
        if topic not in self._forwarding:
            return
        subscriber, task = self._forwarding.pop(topic)
        task.cancel()
        # A send that failed because the client left ended the task already; nothing to report.
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, OSError):
            await task
        await self._channels.unsubscribe(subscriber, topic)

    async def close(self) -> None:
        for topic in list(self._forwarding):
            await self.remove(topic)


class EventStream:
    def __init__(
        self,
        subscriptions: Subscriptions,
        token: str,
        authenticate: Authenticate,
        authorize: AuthorizeSubscription,
    ) -> None:
        self._subscriptions = subscriptions
        self._token = token
        self._authenticate = authenticate
        self._authorize = authorize

    async def answer(self, text: str) -> Json:
        try:
            action, topic = read_message(text)
        except ValueError as problem:
            return error(None, str(problem))
        if action == "unsubscribe":
            return await self._unsubscribe(topic)
        return await self._subscribe(topic)

    async def _unsubscribe(self, topic_text: str) -> Json:
        try:
            topic = str(parse_topic(topic_text))
        except InvalidValue as problem:
            return error(topic_text, problem.reason)
        await self._subscriptions.remove(topic)
        return {"type": "unsubscribed", "topic": topic}

    async def _subscribe(self, topic_text: str) -> Json:
        # The token is checked again, and the caller's current role used: a session that ended
        # (logout, deactivation, expiry) follows nothing new, and its socket is closed.
        try:
            caller: Principal = await self._authenticate(self._token)
        except Unauthenticated as ended:
            raise WebSocketException(detail=ended.message, code=WS_1008_POLICY_VIOLATION) from ended
        try:
            topic = await self._authorize(caller, topic_text)
        except InvalidValue as problem:
            return error(topic_text, problem.reason)
        except TopicRefused as refused:
            return error(topic_text, refused.message)
        full = len(self._subscriptions) >= MAX_TOPICS_PER_CONNECTION
        if full and topic not in self._subscriptions:
            return error(topic, f"at most {MAX_TOPICS_PER_CONNECTION} topics per connection")
        await self._subscriptions.add(topic)
        return {"type": "subscribed", "topic": topic}


@websocket("/ws", opt=everyone())
async def event_stream(
    socket: WebSocket[Principal, str, Any],
    event_channels: NamedDependency[ChannelsPlugin],
    authenticate: NamedDependency[Authenticate],
    authorize_subscription: NamedDependency[AuthorizeSubscription],
) -> None:
    await socket.accept(subprotocols=accepted_subprotocol(socket.scope))
    subscriptions = Subscriptions(socket, event_channels)
    stream = EventStream(subscriptions, socket.auth, authenticate, authorize_subscription)
    try:
        while True:
            text = await socket.receive_data(mode="text")
            await subscriptions.send(await stream.answer(text))
    except WebSocketDisconnect:
        pass
    finally:
        await subscriptions.close()


class EventChannelsPlugin(ChannelsPlugin):
    """Litestar's channels plugin, injected as `event_channels` instead of `channels`.

    Litestar treats a request-body validation error whose field name equals a dependency's
    name as a failure of that dependency and answers 500; announcements have a body field
    `channels`, so the plugin's dependency must not be called that."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        config = super().on_app_init(app_config)
        config.dependencies["event_channels"] = config.dependencies.pop("channels")
        return config


def channels_plugin(backend: Any) -> ChannelsPlugin:
    """The plugin behind /ws. Topics are checked by AuthorizeSubscription, so the plugin itself
    takes any channel name; it adds no routes of its own."""
    return EventChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=SUBSCRIBER_BACKLOG,
        subscriber_backlog_strategy="dropleft",
    )
