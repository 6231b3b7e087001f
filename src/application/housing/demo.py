"""Seeding a demo campus through the ordinary use cases, so the demo obeys every rule real data
does (normalised codes, E.164 phones, unique student ids, beds per room type)."""

import random

from application.housing.buildings import CreateBuilding
from application.housing.commands import SeedDemoCampusCommand
from application.housing.demo_data import BUILDINGS, TERMS, resident_commands, room_commands
from application.housing.ports import HousingQueries
from application.housing.residents import RegisterResident
from application.housing.rooms import CreateRoom
from application.housing.terms import CreateTerm
from application.housing.views import BuildingFilter, DemoCampusReport
from application.shared.paging import MAX_PAGE_SIZE, PageRequest
from domain.housing.errors import EmailTaken, StudentIdTaken, TermNameTaken


class SeedDemoCampus:
    """Fills the inventory with a demo campus: three halls with distinct gender policies,
    about 150 rooms with their beds, 300 residents and two academic terms.

    - the same seed gives the same campus.
    - when any demo building code already exists nothing is written: seeding twice changes
      nothing, and a campus that already holds real halls with those codes is left alone.
    - a resident whose student id or email, or a term whose name, is already taken is skipped
      and counted rather than failing the whole seed.
    """

    def __init__(
        self,
        create_building: CreateBuilding,
        create_room: CreateRoom,
        register_resident: RegisterResident,
        create_term: CreateTerm,
        queries: HousingQueries,
    ) -> None:
        self._create_building = create_building
        self._create_room = create_room
        self._register_resident = register_resident
        self._create_term = create_term
        self._queries = queries

    async def __call__(self, command: SeedDemoCampusCommand) -> DemoCampusReport:
        existing = await self._existing_demo_codes()
        if existing:
            return DemoCampusReport(seeded=False, existing_codes=existing)
        rng = random.Random(command.seed)
        rooms = beds = 0
        for building_command in BUILDINGS:
            building = await self._create_building(building_command)
            for room_command in room_commands(rng, building):
                room = await self._create_room(room_command)
                rooms += 1
                beds += room.capacity
        residents = skipped_residents = 0
        for resident_command in resident_commands(rng, command.residents):
            try:
                await self._register_resident(resident_command)
            except (StudentIdTaken, EmailTaken):
                skipped_residents += 1
            else:
                residents += 1
        terms = skipped_terms = 0
        for term_command in TERMS:
            try:
                await self._create_term(term_command)
            except TermNameTaken:
                skipped_terms += 1
            else:
                terms += 1
        return DemoCampusReport(
            seeded=True,
            existing_codes=[],
            buildings=len(BUILDINGS),
            rooms=rooms,
            beds=beds,
            residents=residents,
            residents_skipped=skipped_residents,
            terms=terms,
            terms_skipped=skipped_terms,
        )

    async def _existing_demo_codes(self) -> list[str]:
        wanted = {building.code for building in BUILDINGS}
        found: list[str] = []
        offset = 0
        while True:
            page = await self._queries.buildings(
                BuildingFilter(), PageRequest(limit=MAX_PAGE_SIZE, offset=offset)
            )
            found += [view.code for view in page.items if view.code in wanted]
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return sorted(found)
