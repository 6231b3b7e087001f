"""Choosing a technician and estimating the cost."""

from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance.model import Category, Priority, Technician, TechnicianLoad
from domain.maintenance.triage import RateTable, choose_technician, estimate_cost
from domain.shared.money import Money


def a_load(
    number: int,
    open_assignments: int = 0,
    skills: frozenset[Category] = frozenset({Category.PLUMBING}),
    active: bool = True,
    name: str | None = None,
) -> TechnicianLoad:
    technician = Technician(UUID(int=number), name or f"Tech {number:03d}", skills, active)
    return TechnicianLoad(technician, open_assignments)


def test_the_least_loaded_qualified_technician_is_chosen() -> None:
    loads = [
        a_load(1, open_assignments=3),
        a_load(2, open_assignments=1),
        a_load(3, open_assignments=0, skills=frozenset({Category.ELECTRICAL})),
        a_load(4, open_assignments=0, active=False),
    ]

    assert choose_technician(loads, Category.PLUMBING) == UUID(int=2)


def test_no_qualified_technician_leaves_the_request_unassigned() -> None:
    loads = [a_load(1, active=False), a_load(2, skills=frozenset({Category.LOCKS}))]

    assert choose_technician(loads, Category.PLUMBING) is None
    assert choose_technician([], Category.PLUMBING) is None


def test_ties_go_to_the_name_then_the_id() -> None:
    loads = [a_load(3, name="Bea"), a_load(2, name="Abe"), a_load(1, name="Abe")]

    assert choose_technician(loads, Category.PLUMBING) == UUID(int=1)


loads_strategy = st.lists(
    st.builds(
        a_load,
        st.integers(1, 40),
        st.integers(0, 5),
        st.frozensets(st.sampled_from(Category), max_size=3),
        st.booleans(),
        st.sampled_from(["Abe", "Bea", "Cy"]),
    ),
    max_size=8,
    unique_by=lambda load: load.technician.user_id,
)


@given(loads_strategy, st.sampled_from(Category), st.randoms())
def test_the_choice_is_qualified_minimal_and_independent_of_order(
    loads: list[TechnicianLoad], category: Category, random: object
) -> None:
    chosen = choose_technician(loads, category)
    shuffled = list(loads)
    random.shuffle(shuffled)  # type: ignore[attr-defined]

    assert choose_technician(shuffled, category) == chosen
    qualified = [x for x in loads if x.technician.active and category in x.technician.skills]
    if chosen is None:
        assert qualified == []
        return
    winner = next(x for x in qualified if x.technician.user_id == chosen)
    assert winner.open_assignments == min(x.open_assignments for x in qualified)


TABLE = RateTable(hourly_rate=Money.of("40.00", "EUR"))


def test_the_estimate_is_hours_times_rate_plus_typical_parts() -> None:
    # Plumbing: 2 h routine, x1.5 for an emergency; 25.00 of parts.
    assert estimate_cost(Category.PLUMBING, Priority.EMERGENCY, TABLE) == Money.of("145", "EUR")
    assert estimate_cost(Category.PLUMBING, Priority.ROUTINE, TABLE) == Money.of("105", "EUR")


def test_the_estimate_rounds_to_the_cent_half_up() -> None:
    table = RateTable(
        hourly_rate=Money.of("33.33", "EUR"),
        labour_hours={(Category.LOCKS, Priority.LOW): Decimal("0.75")},
        typical_parts={},
    )

    # 0.75 x 33.33 = 24.9975
    assert estimate_cost(Category.LOCKS, Priority.LOW, table) == Money.of("25.00", "EUR")


@given(
    st.sampled_from(Category),
    st.decimals(min_value=0, max_value=500, places=2),
)
def test_urgency_never_costs_less(category: Category, rate: Decimal) -> None:
    table = RateTable(hourly_rate=Money.of(rate, "EUR"))
    costs = [estimate_cost(category, priority, table).amount for priority in Priority]

    assert costs == sorted(costs, reverse=True)
    assert all(cost == cost.quantize(Decimal("0.01")) for cost in costs)
