from typing import Annotated

import msgspec

MAX_PAGE_SIZE = 500
# Far beyond any list (the voter roll is the longest, at a few million rows), and small enough
# for every database's integer: a larger offset is refused as invalid, not an overflow in SQL.
MAX_OFFSET = 2**31 - 1


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE_SIZE)] = 50
    offset: Annotated[int, msgspec.Meta(ge=0, le=MAX_OFFSET)] = 0
