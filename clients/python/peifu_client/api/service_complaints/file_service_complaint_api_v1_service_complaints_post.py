from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.service_complaint_detail_out import ServiceComplaintDetailOut
from ...models.service_complaint_in import ServiceComplaintIn
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ServiceComplaintIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(authorization, Unset):
        headers["authorization"] = authorization

    if not isinstance(x_peifu_actor, Unset):
        headers["x-peifu-actor"] = x_peifu_actor



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/service-complaints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | ServiceComplaintDetailOut | None:
    if response.status_code == 201:
        response_201 = ServiceComplaintDetailOut.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    """ 提交售后投诉 · File a service complaint (buyer), or enter one taken by phone (agent)

    Args:
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintIn): A buyer files (channel online, chat, e-mail, social media…); an
            agent enters one taken by
            phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ServiceComplaintDetailOut]
     """


    kwargs = _get_kwargs(
        body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ServiceComplaintDetailOut | None:
    """ 提交售后投诉 · File a service complaint (buyer), or enter one taken by phone (agent)

    Args:
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintIn): A buyer files (channel online, chat, e-mail, social media…); an
            agent enters one taken by
            phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ServiceComplaintDetailOut
     """


    return sync_detailed(
        client=client,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    """ 提交售后投诉 · File a service complaint (buyer), or enter one taken by phone (agent)

    Args:
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintIn): A buyer files (channel online, chat, e-mail, social media…); an
            agent enters one taken by
            phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ServiceComplaintDetailOut]
     """


    kwargs = _get_kwargs(
        body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ServiceComplaintDetailOut | None:
    """ 提交售后投诉 · File a service complaint (buyer), or enter one taken by phone (agent)

    Args:
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintIn): A buyer files (channel online, chat, e-mail, social media…); an
            agent enters one taken by
            phone on the buyer's behalf (`buyer_id` and, to register it at once, `category`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ServiceComplaintDetailOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
