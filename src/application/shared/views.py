"""Response shapes every context shares."""

from typing import Annotated

import msgspec

from application.shared.structs import View


class Page(View):
    """One page of a list; subclasses add `items`."""

    total: Annotated[int, msgspec.Meta(description="Matching items across all pages")]
    limit: int
    offset: int
