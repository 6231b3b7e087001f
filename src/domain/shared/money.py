"""Money as an exact decimal amount in one currency; never a float."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.shared.errors import InvalidValue

CENT = Decimal("0.01")
# Amounts are stored as whole cents in a 64-bit column; a billion is far beyond any rent or fee.
MAX_AMOUNT = Decimal(1_000_000_000)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal | str | int, currency: str, field: str = "amount") -> "Money":
        """Validated constructor: two decimal places at most, non-negative, ISO 4217 code.

        `field` names the amount; the currency is reported as its sibling (`nightly_rate.amount`
        -> `nightly_rate.currency`), the way the API spells both.
        """
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError) as error:
            raise InvalidValue(field, f"{amount!r} is not a number") from error
        if not value.is_finite():
            raise InvalidValue(field, "must be a finite number")
        if value < 0:
            raise InvalidValue(field, "must not be negative")
        if value >= MAX_AMOUNT:
            raise InvalidValue(field, f"must be less than {MAX_AMOUNT:,}")
        try:
            exact = value.quantize(CENT)
        except InvalidOperation as error:  # more digits than the decimal context holds
            raise InvalidValue(field, "is too large") from error
        if value != exact:
            raise InvalidValue(field, "must have at most two decimal places")
        code = currency.strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            parent, dot, _ = field.rpartition(".")
            raise InvalidValue(f"{parent}{dot}currency", "must be a three-letter ISO 4217 code")
        return cls(exact, code)

    @property
    def cents(self) -> int:
        return int(self.amount * 100)

    @classmethod
    def from_cents(cls, cents: int, currency: str) -> "Money":
        return cls((Decimal(cents) / 100).quantize(CENT), currency)
