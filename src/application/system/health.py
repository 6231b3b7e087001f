"""Readiness: can this process do its work right now?"""

import asyncio
from typing import Protocol

from application.shared.structs import View

PROBE_TIMEOUT_SECONDS = 3.0


class Probe(Protocol):
    """One dependency the process needs (the database, the task broker)."""

    name: str

    async def check(self) -> None:
        """Returns when the dependency answers; raises with the reason when it does not."""
        ...


class ComponentView(View):
    name: str
    ok: bool
    detail: str | None = None


class ReadinessView(View):
    ready: bool
    components: list[ComponentView]


class CheckReadiness:
    """Asks every probe at once, each with a time limit, and reports which ones failed."""

    def __init__(self, probes: list[Probe]) -> None:
        self._probes = probes

    async def __call__(self) -> ReadinessView:
        results = await asyncio.gather(*(self._ask(probe) for probe in self._probes))
        return ReadinessView(ready=all(result.ok for result in results), components=list(results))

    @staticmethod
    async def _ask(probe: Probe) -> ComponentView:
        try:
            await asyncio.wait_for(probe.check(), PROBE_TIMEOUT_SECONDS)
        except TimeoutError:
            return ComponentView(
                name=probe.name, ok=False, detail=f"no answer within {PROBE_TIMEOUT_SECONDS}s"
            )
        except Exception as error:  # any failure means "not ready"; the reason is reported
            return ComponentView(
                name=probe.name, ok=False, detail=f"{type(error).__name__}: {error}"
            )
        return ComponentView(name=probe.name, ok=True)
