from typing import Annotated

from litestar.params import QueryParameter

from application.shared.paging import MAX_OFFSET, MAX_PAGE_SIZE, PageRequest


def provide_page(
    limit: Annotated[
        int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page")
    ] = 50,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)
