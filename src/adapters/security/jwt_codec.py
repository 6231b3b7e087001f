from datetime import UTC, datetime
from uuid import UUID

import jwt

from adapters.system.clock import SystemClock
from application.accounts.model import AccessClaims
from application.shared.ports import Clock
from domain.accounts.model import Role
from domain.shared.errors import Unauthenticated

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti", "role"]


class JwtTokenCodec:
    """HS256 access tokens that carry issuer, audience, expiry and a token id, all checked."""

    def __init__(
        self, secret_key: str | None, issuer: str, audience: str, clock: Clock | None = None
    ) -> None:
        if not secret_key:
            raise ValueError("SECRET_KEY is not set; tokens cannot be signed")
        self._secret_key = secret_key
        self._issuer = issuer
        self._audience = audience
        # Expiry is judged by the clock that stamped the token (the issuer's), not by PyJWT's
        # own reading of the system time: one notion of "now" for the whole application.
        self._clock = clock or SystemClock()

    def encode(self, claims: AccessClaims) -> str:
        payload = {
            "sub": str(claims.user_id),
            "role": claims.role.value,
            "rid": None if claims.resident_id is None else str(claims.resident_id),
            "jti": claims.token_id,
            "iat": int(claims.issued_at.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
            "iss": self._issuer,
            "aud": self._audience,
        }
        return jwt.encode(payload, self._secret_key, algorithm=ALGORITHM)

    def decode(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret_key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": REQUIRED_CLAIMS, "verify_exp": False, "verify_iat": False},
            )
            now = self._clock.now().timestamp()
            if int(payload["exp"]) <= now or int(payload["iat"]) > now:
                raise Unauthenticated("the access token is invalid or has expired")
            return AccessClaims(
                user_id=UUID(payload["sub"]),
                role=Role(payload["role"]),
                resident_id=None if payload.get("rid") is None else UUID(payload["rid"]),
                token_id=str(payload["jti"]),
                issued_at=datetime.fromtimestamp(payload["iat"], UTC),
                expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
            raise Unauthenticated("the access token is invalid or has expired") from error
