from domain.shared.errors import Conflict


class IllegalTransition(Conflict):
    """A job was asked to move to a state its current state does not lead to."""

    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"a {current} job cannot {action}", field="state")
        self.current = current
        self.action = action
