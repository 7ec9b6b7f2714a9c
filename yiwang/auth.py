"""Bearer tokens: HS256 JWTs carrying a role and a grid scope."""

from __future__ import annotations

import time
from collections.abc import Mapping

import jwt

from resolvers.principal import Principal
from store.base import Role

ALGORITHM = "HS256"
ISSUER = "yiwang"


class AuthError(Exception):
    """The token is missing its parts, expired, forged or otherwise unusable."""


def issue_token(
    secret: str, role: Role, grid_code: str, subject: str | None = None, ttl_hours: int = 12
) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": subject or f"{role.value}@{grid_code}",
        "role": role.value,
        "grid": grid_code,
        "iat": now,
        "exp": now + ttl_hours * 3600,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("The token has expired") from None
    except jwt.InvalidTokenError as exc:
        raise AuthError(f"The token is invalid: {exc}") from None
    try:
        role = Role(claims["role"])
    except (KeyError, ValueError):
        raise AuthError("The token names no known role") from None
    grid = claims.get("grid")
    if not isinstance(grid, str) or not grid:
        raise AuthError("The token names no grid")
    return Principal(subject=str(claims["sub"]), role=role, grid_code=grid)


def principal_from_headers(secret: str, headers: Mapping[str, str]) -> Principal | None:
    """``None`` without an Authorization header; AuthError for a bad one."""
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Use 'Authorization: Bearer <token>'")
    return decode_token(secret, token.strip())
