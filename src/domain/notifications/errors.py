from domain.shared.errors import Conflict


class IllegalTransition(Conflict):
    """A notification was asked to move to a state its current state does not lead to."""

    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"a {state} notification cannot be {action}", field="state")
        self.action = action
        self.state = state
