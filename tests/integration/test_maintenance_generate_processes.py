"""Two scheduler processes generating preventive work over the same schedules, on PostgreSQL
with the Redis broker, make exactly one work order per occurrence: the unique key on
(schedule_id, occurrence_date) decides, not the processes."""

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from adapters.sqlalchemy.maintenance.repository import SqlAlchemyMaintenanceUnitOfWork
from adapters.sqlalchemy.maintenance.tables import maintenance_request_history as history
from adapters.sqlalchemy.maintenance.tables import maintenance_requests as requests
from domain.accounts.model import Role, User
from domain.maintenance.model import Category, Technician
from domain.maintenance.recurrence import Interval, Unit, parse_cron
from domain.maintenance.schedules import MaintenanceSchedule
from tests.integration.housing_backends import a_building, a_room, saved, sql_backend
from tests.integration.maintenance_generate_child import MADE, READY

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_SECONDS = 120
RUNS_PER_PROCESS = 3
DAILY_SCHEDULES = 10
LEAD_DAYS = 4  # today and four days ahead: five occurrences of a daily schedule


async def _schedules(engine: AsyncEngine) -> int:
    """Stores the schedules and a technician to assign to; returns the occurrences due."""
    hall = a_building("NH")
    room = a_room(hall, "101")
    await saved(sql_backend("postgresql", engine), hall, room)
    tess = User("tess@example.edu", Role.TECHNICIAN, "hash")
    async with SqlAlchemyAccountsUnitOfWork(engine) as accounts:
        await accounts.users.add(tess)
        await accounts.commit()
    today = datetime.now(UTC).date()
    daily = [
        MaintenanceSchedule(
            f"Check {n}",
            Category.HEATING,
            hall.id,
            Interval(1, Unit.DAYS),
            today,
            room_id=room.id,
            lead_days=LEAD_DAYS,
        )
        for n in range(DAILY_SCHEDULES)
    ]
    every_day_by_cron = MaintenanceSchedule(
        "Alarms", Category.ELECTRICAL, hall.id, parse_cron("*/5 * * * *"), today, lead_days=2
    )
    paused = MaintenanceSchedule(
        "Paused", Category.HEATING, hall.id, Interval(1, Unit.DAYS), today, paused=True
    )
    async with SqlAlchemyMaintenanceUnitOfWork(engine) as uow:
        await uow.technicians.add(
            Technician(tess.id, "Tess", frozenset({Category.HEATING, Category.ELECTRICAL}))
        )
        for schedule in [*daily, every_day_by_cron, paused]:
            await uow.schedules.add(schedule)
        await uow.commit()
    return DAILY_SCHEDULES * (LEAD_DAYS + 1) + 3


async def _start(postgres_url: str, redis_url: str, var_dir: Path) -> asyncio.subprocess.Process:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.maintenance_generate_child",
        postgres_url,
        redis_url,
        str(var_dir),
        str(RUNS_PER_PROCESS),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), CHILD_TIMEOUT_SECONDS)
    if line.decode().strip() != READY:
        _, errors = await child.communicate()
        raise AssertionError(f"the generator did not start: {line!r} {errors.decode()}")
    return child


async def _made(child: asyncio.subprocess.Process) -> int:
    output, errors = await asyncio.wait_for(child.communicate(b"go\n"), CHILD_TIMEOUT_SECONDS)
    assert child.returncode == 0, errors.decode()
    word, count = output.decode().split()
    assert word == MADE
    return int(count)


async def test_two_generators_make_each_work_order_once(
    postgres_url: str,
    postgres_engine: AsyncEngine,
    redis_client: Redis,
    redis_url: str,
    tmp_path: Path,
) -> None:
    expected = await _schedules(postgres_engine)
    children = [await _start(postgres_url, redis_url, tmp_path / f"var{n}") for n in (1, 2)]

    made = await asyncio.gather(*(_made(child) for child in children))

    per_occurrence = (
        select(func.count().label("orders"))
        .where(requests.c.schedule_id.is_not(None))
        .group_by(requests.c.schedule_id, requests.c.occurrence_date)
        .subquery()
    )
    async with postgres_engine.connect() as connection:
        counts = (
            await connection.execute(
                select(func.count(), func.max(per_occurrence.c.orders)).select_from(per_occurrence)
            )
        ).one()
        states = dict(
            (
                await connection.execute(
                    select(requests.c.state, func.count()).group_by(requests.c.state)
                )
            ).all()
        )
        generated = (
            await connection.execute(select(func.count()).where(history.c.action == "generate"))
        ).scalar_one()

    assert sum(made) == expected
    assert tuple(counts) == (expected, 1)
    assert states == {"assigned": expected}  # each triaged once, by the process that made it
    assert generated == expected
