from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.login_in import LoginIn
from ...models.login_out import LoginOut
from typing import cast



def _get_kwargs(
    *,
    body: LoginIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/login",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | LoginOut | None:
    if response.status_code == 200:
        response_200 = LoginOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorOut.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = ErrorOut.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorOut.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorOut.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = ErrorOut.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | LoginOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,

) -> Response[ErrorOut | LoginOut]:
    """ 登录 · Log in

     A session token for a correct user name and password (also set as the page session cookie).

    Failed logins are limited per account and per client address (429 `login_throttled` with
    `Retry-After`), and only so many passwords are checked at once (503 `login_busy` with
    `Retry-After`): see README › Security.

    Args:
        body (LoginIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | LoginOut]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,

) -> ErrorOut | LoginOut | None:
    """ 登录 · Log in

     A session token for a correct user name and password (also set as the page session cookie).

    Failed logins are limited per account and per client address (429 `login_throttled` with
    `Retry-After`), and only so many passwords are checked at once (503 `login_busy` with
    `Retry-After`): see README › Security.

    Args:
        body (LoginIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | LoginOut
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,

) -> Response[ErrorOut | LoginOut]:
    """ 登录 · Log in

     A session token for a correct user name and password (also set as the page session cookie).

    Failed logins are limited per account and per client address (429 `login_throttled` with
    `Retry-After`), and only so many passwords are checked at once (503 `login_busy` with
    `Retry-After`): see README › Security.

    Args:
        body (LoginIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | LoginOut]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,

) -> ErrorOut | LoginOut | None:
    """ 登录 · Log in

     A session token for a correct user name and password (also set as the page session cookie).

    Failed logins are limited per account and per client address (429 `login_throttled` with
    `Retry-After`), and only so many passwords are checked at once (503 `login_busy` with
    `Retry-After`): see README › Security.

    Args:
        body (LoginIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | LoginOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
