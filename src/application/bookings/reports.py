"""Reports on bookings for the residence office."""

from datetime import date

from application.bookings.ports import OccupancyQueries
from application.bookings.views import OccupancyReportView, occupancy_report


class GetOccupancyReport:
    """Occupancy on `date`, per building and room type, with totals: beds in service
    (in buildings in use), and of those `occupied` (a confirmed or checked-in booking's stay
    covers the day), `held`, `closed` (a closure covers the bed that day or its room is closed,
    and nobody occupies it) and `free`; each bed counts once, in the first category that fits.
    `occupancy_percent` is occupied / (beds - closed) x 100 rounded half up to one decimal
    place, sent as a decimal string ("87.5"), null when no bed is usable."""

    def __init__(self, queries: OccupancyQueries) -> None:
        self._queries = queries

    async def __call__(self, on: date) -> OccupancyReportView:
        return occupancy_report(on, await self._queries.occupancy(on))
