from typing import Annotated

import msgspec

MAX_PAGE_SIZE = 500


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE_SIZE)] = 50
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0
