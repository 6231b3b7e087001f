"""What can go wrong with a maintenance request, each named for what went wrong."""

from domain.shared.errors import Conflict


class IllegalTransition(Conflict):
    """A request was asked to do something its current state does not allow."""

    def __init__(self, current: str, action: str) -> None:
        article = "an" if current[:1] in "aeiou" else "a"
        super().__init__(f"{article} {current} request cannot {action}", field="state")
        self.current = current
        self.action = action


class AlreadyRated(Conflict):
    def __init__(self) -> None:
        super().__init__("the work on this request has already been rated", field="rating")
