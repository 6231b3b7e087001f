"""The maintenance report of the office."""

from application.maintenance.ports import MaintenanceQueries
from application.maintenance.views import MaintenanceReportView, MonthlyCostView, money_view
from domain.maintenance.reports import (
    median_hours_to_resolve,
    monthly_costs,
    open_counts,
    overdue_count,
)
from domain.shared.money import Money


class MaintenanceReport:
    """Open requests by priority and by category, how many are overdue, the median time from
    submission to resolution (hours, over every resolved request), and estimated against
    actual cost per building and month of submission (cancelled requests left out; actual
    costs are those of resolved work)."""

    def __init__(self, queries: MaintenanceQueries) -> None:
        self._queries = queries

    async def __call__(self) -> MaintenanceReportView:
        facts = await self._queries.report_facts()
        by_priority, by_category = open_counts(facts)
        return MaintenanceReportView(
            open_by_priority={key.value: count for key, count in sorted(by_priority.items())},
            open_by_category={key.value: count for key, count in sorted(by_category.items())},
            overdue=overdue_count(facts),
            median_hours_to_resolve=median_hours_to_resolve(facts),
            costs=[
                MonthlyCostView(
                    building_id=row.building_id,
                    month=row.month,
                    requests=row.requests,
                    estimated=money_view(Money.from_cents(row.estimated_cents, row.currency)),
                    actual=money_view(Money.from_cents(row.actual_cents, row.currency)),
                )
                for row in monthly_costs(facts)
            ],
        )
