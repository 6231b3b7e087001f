"""CheckReadiness: every probe is asked, each with a time limit."""

import asyncio

import pytest

from application.system import health
from application.system.health import CheckReadiness, ComponentView, Probe
from tests.fakes import StaticProbe


class HangingProbe:
    """A dependency that never answers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.never = asyncio.Event()

    async def check(self) -> None:
        await self.never.wait()


class WaitingProbe:
    """Answers only once `release` is set, which another probe does."""

    def __init__(self, name: str, release: asyncio.Event) -> None:
        self.name = name
        self.release = release

    async def check(self) -> None:
        await self.release.wait()


class ReleasingProbe:
    def __init__(self, name: str, release: asyncio.Event) -> None:
        self.name = name
        self.release = release

    async def check(self) -> None:
        self.release.set()


async def test_ready_when_every_probe_answers() -> None:
    readiness = await CheckReadiness([StaticProbe("database"), StaticProbe("broker")])()

    assert readiness.ready
    assert readiness.components == [
        ComponentView(name="database", ok=True),
        ComponentView(name="broker", ok=True),
    ]


async def test_a_failing_probe_is_named_with_its_reason() -> None:
    probes: list[Probe] = [
        StaticProbe("database"),
        StaticProbe("broker", failure="connection refused"),
    ]

    readiness = await CheckReadiness(probes)()

    assert not readiness.ready
    assert readiness.components == [
        ComponentView(name="database", ok=True),
        ComponentView(name="broker", ok=False, detail="ConnectionError: connection refused"),
    ]


async def test_a_hanging_probe_is_reported_as_timed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "PROBE_TIMEOUT_SECONDS", 0.05)
    probes: list[Probe] = [HangingProbe("broker"), StaticProbe("database")]

    readiness = await CheckReadiness(probes)()

    assert not readiness.ready
    broker, database = readiness.components
    assert (broker.name, broker.ok) == ("broker", False)
    assert broker.detail == "no answer within 0.05s"
    assert database == ComponentView(name="database", ok=True)


async def test_probes_are_asked_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first probe can only answer after the second one has run: asked one after the
    # other, the first would wait until its time limit, kept short so such a failure is quick.
    monkeypatch.setattr(health, "PROBE_TIMEOUT_SECONDS", 1.0)
    release = asyncio.Event()
    probes: list[Probe] = [WaitingProbe("database", release), ReleasingProbe("broker", release)]

    readiness = await CheckReadiness(probes)()

    assert readiness.ready
    assert [c.name for c in readiness.components] == ["database", "broker"]
