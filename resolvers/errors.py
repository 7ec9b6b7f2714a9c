"""Expected failures, carried to the client as ``extensions.code``."""

from __future__ import annotations

from enum import StrEnum

from graphql import GraphQLError


class ErrorCode(StrEnum):
    BAD_INPUT = "BAD_INPUT"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INTERNAL = "INTERNAL_SERVER_ERROR"


class ApiError(GraphQLError):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message, extensions={"code": code.value})
        self.code = code


def bad_input(message: str) -> ApiError:
    return ApiError(ErrorCode.BAD_INPUT, message)


def not_found(message: str) -> ApiError:
    return ApiError(ErrorCode.NOT_FOUND, message)


def forbidden(message: str = "Outside your grid scope") -> ApiError:
    return ApiError(ErrorCode.FORBIDDEN, message)


def unauthenticated(message: str = "A bearer token is required") -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, message)
