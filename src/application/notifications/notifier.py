"""What a use case uses to notify someone: it builds notifications for the use case to add to
its unit of work's outbox, and asks for their delivery once the use case has committed."""

import logging
from collections.abc import Mapping

from application.notifications.templates import check_data
from application.shared.ports import BackgroundTasks, Clock
from domain.notifications.model import Channel, Notification

logger = logging.getLogger(__name__)

RELAY_TASK = "notifications.relay"


class Notifier:
    """A helper of use cases, not a use case. `site` holds the variables every template may
    use (`login_url`); each notification stores them with its own data, so it is rendered the
    same whenever it is sent."""

    def __init__(self, clock: Clock, tasks: BackgroundTasks, site: Mapping[str, str]) -> None:
        self._clock = clock
        self._tasks = tasks
        self._site = dict(site)

    def email(
        self,
        kind: str,
        *,
        to: str,
        data: Mapping[str, str],
        name: str | None = None,
        source: str | None = None,
    ) -> Notification:
        return self._notification(kind, Channel.EMAIL, to, name, data, source)

    def sms(
        self,
        kind: str,
        *,
        to: str,
        data: Mapping[str, str],
        name: str | None = None,
        source: str | None = None,
    ) -> Notification:
        return self._notification(kind, Channel.SMS, to, name, data, source)

    def _notification(
        self,
        kind: str,
        channel: Channel,
        to: str,
        name: str | None,
        data: Mapping[str, str],
        source: str | None,
    ) -> Notification:
        values = self._site | dict(data)
        check_data(kind, values)
        return Notification(
            kind=kind,
            channel=channel,
            recipient_address=to,
            recipient_name=name,
            data=values,
            next_attempt_at=self._clock.now(),
            source=source,
        )

    async def deliver_soon(self) -> None:
        """Asks a worker to run the relay now. Call it after the commit: before, the relay could
        run first and find nothing. A failure here loses nothing, the notifications are stored
        and the scheduled relay picks them up within a minute, so it is logged, not raised: the
        change the caller asked for has already happened."""
        try:
            await self._tasks.enqueue(RELAY_TASK)
        except Exception as error:  # whatever the broker's trouble, the outbox still holds them
            logger.warning(
                "could not start the notification relay now (%s); the scheduled relay will deliver",
                error,
            )
