"""Terms: CreateTerm, UpdateTerm, DeleteTerm, GetTerm, ListTerms."""

from datetime import date
from uuid import uuid4

import pytest

from application.housing.commands import TermPatch
from application.shared.paging import PageRequest
from domain.housing.errors import TermNameTaken
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.application.kit import Housing


async def test_create_and_read_back(housing: Housing) -> None:
    term = await housing.term(
        name="  Autumn   2026 ", starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19)
    )

    assert (term.name, term.starts_on, term.ends_on) == (
        "Autumn 2026",
        date(2026, 9, 21),
        date(2026, 12, 19),
    )
    assert await housing.get_term(term.id) == term


@pytest.mark.parametrize("ends_on", [date(2026, 9, 21), date(2026, 9, 20)])
async def test_ends_on_must_be_after_starts_on(housing: Housing, ends_on: date) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.term(starts_on=date(2026, 9, 21), ends_on=ends_on)

    assert raised.value.field == "ends_on"
    assert housing.counts()["terms"] == 0


async def test_a_one_night_term_is_allowed(housing: Housing) -> None:
    term = await housing.term(starts_on=date(2026, 9, 21), ends_on=date(2026, 9, 22))

    assert term.ends_on == date(2026, 9, 22)


async def test_back_to_back_terms_are_allowed(housing: Housing) -> None:
    await housing.term(name="Autumn", starts_on=date(2026, 9, 21), ends_on=date(2027, 1, 4))
    spring = await housing.term(name="Spring", starts_on=date(2027, 1, 4), ends_on=date(2027, 4, 1))

    assert spring.starts_on == date(2027, 1, 4)


async def test_names_are_unique(housing: Housing) -> None:
    await housing.term(name="Autumn 2026")

    with pytest.raises(TermNameTaken) as raised:
        await housing.term(
            name=" Autumn  2026", starts_on=date(2027, 9, 20), ends_on=date(2027, 12, 18)
        )

    assert isinstance(raised.value, Conflict)
    assert raised.value.field == "name"
    assert housing.counts()["terms"] == 1


async def test_blank_name_is_refused(housing: Housing) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.term(name="   ")

    assert raised.value.field == "name"


async def test_update_moves_one_date_and_keeps_the_other(housing: Housing) -> None:
    term = await housing.term(starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19))

    moved = await housing.update_term(term.id, TermPatch(ends_on=date(2026, 12, 20)))

    assert (moved.name, moved.starts_on, moved.ends_on) == (
        term.name,
        date(2026, 9, 21),
        date(2026, 12, 20),
    )


@pytest.mark.parametrize(
    "patch",
    [
        TermPatch(starts_on=date(2026, 12, 19)),
        TermPatch(starts_on=date(2027, 1, 1)),
        TermPatch(ends_on=date(2026, 9, 21)),
        TermPatch(name="Renamed", starts_on=date(2026, 12, 1), ends_on=date(2026, 11, 1)),
    ],
)
async def test_update_must_still_end_after_it_starts(housing: Housing, patch: TermPatch) -> None:
    term = await housing.term(starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19))

    with pytest.raises(InvalidValue) as raised:
        await housing.update_term(term.id, patch)

    assert raised.value.field == "ends_on"
    assert await housing.get_term(term.id) == term


async def test_update_refuses_another_terms_name_and_accepts_its_own(housing: Housing) -> None:
    await housing.term(name="Autumn 2026")
    spring = await housing.term(
        name="Spring 2027", starts_on=date(2027, 1, 4), ends_on=date(2027, 4, 1)
    )

    with pytest.raises(TermNameTaken):
        await housing.update_term(spring.id, TermPatch(name="Autumn 2026"))

    assert (await housing.update_term(spring.id, TermPatch(name="Spring 2027"))).name == (
        "Spring 2027"
    )


async def test_unknown_term_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.update_term(uuid4(), TermPatch(name="Nothing"))
    with pytest.raises(NotFound):
        await housing.delete_term(uuid4())
    with pytest.raises(NotFound):
        await housing.get_term(uuid4())


async def test_delete_removes_the_term(housing: Housing) -> None:
    term = await housing.term()

    await housing.delete_term(term.id)

    assert housing.counts()["terms"] == 0
    with pytest.raises(NotFound):
        await housing.get_term(term.id)


async def test_list_is_ordered_by_start_date(housing: Housing) -> None:
    await housing.term(name="Spring 2027", starts_on=date(2027, 1, 4), ends_on=date(2027, 4, 1))
    await housing.term(name="Autumn 2026", starts_on=date(2026, 9, 21), ends_on=date(2027, 1, 4))
    await housing.term(name="Summer 2027", starts_on=date(2027, 6, 1), ends_on=date(2027, 9, 1))

    page = await housing.list_terms(PageRequest(limit=2))

    assert page.total == 3
    assert [t.name for t in page.items] == ["Autumn 2026", "Spring 2027"]
