from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.policy_out import PolicyOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    version: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_version: None | str | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/policy",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | PolicyOut | None:
    if response.status_code == 200:
        response_200 = PolicyOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorOut.from_dict(response.json())



        return response_400

    if response.status_code == 403:
        response_403 = ErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorOut.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorOut.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | PolicyOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    version: None | str | Unset = UNSET,

) -> Response[ErrorOut | PolicyOut]:
    """ 规则公示 · The rules in force, in plain words

     Every number the engine uses — deadlines, windows, compensation, penalty points — as a
    sentence in Chinese and English with its source. Platforms disclose this before any dispute.

    Args:
        version (None | str | Unset): An older version cases were opened under.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | PolicyOut]
     """


    kwargs = _get_kwargs(
        version=version,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    version: None | str | Unset = UNSET,

) -> ErrorOut | PolicyOut | None:
    """ 规则公示 · The rules in force, in plain words

     Every number the engine uses — deadlines, windows, compensation, penalty points — as a
    sentence in Chinese and English with its source. Platforms disclose this before any dispute.

    Args:
        version (None | str | Unset): An older version cases were opened under.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | PolicyOut
     """


    return sync_detailed(
        client=client,
version=version,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    version: None | str | Unset = UNSET,

) -> Response[ErrorOut | PolicyOut]:
    """ 规则公示 · The rules in force, in plain words

     Every number the engine uses — deadlines, windows, compensation, penalty points — as a
    sentence in Chinese and English with its source. Platforms disclose this before any dispute.

    Args:
        version (None | str | Unset): An older version cases were opened under.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | PolicyOut]
     """


    kwargs = _get_kwargs(
        version=version,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    version: None | str | Unset = UNSET,

) -> ErrorOut | PolicyOut | None:
    """ 规则公示 · The rules in force, in plain words

     Every number the engine uses — deadlines, windows, compensation, penalty points — as a
    sentence in Chinese and English with its source. Platforms disclose this before any dispute.

    Args:
        version (None | str | Unset): An older version cases were opened under.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | PolicyOut
     """


    return (await asyncio_detailed(
        client=client,
version=version,

    )).parsed
