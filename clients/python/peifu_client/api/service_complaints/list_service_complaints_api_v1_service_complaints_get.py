from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.service_complaint_out import ServiceComplaintOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    state: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(authorization, Unset):
        headers["authorization"] = authorization

    if not isinstance(x_peifu_actor, Unset):
        headers["x-peifu-actor"] = x_peifu_actor



    

    params: dict[str, Any] = {}

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    json_shop_id: None | str | Unset
    if isinstance(shop_id, Unset):
        json_shop_id = UNSET
    else:
        json_shop_id = shop_id
    params["shop_id"] = json_shop_id

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/service-complaints",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | list[ServiceComplaintOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = ServiceComplaintOut.from_dict(response_200_item_data)



            response_200.append(response_200_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | list[ServiceComplaintOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | list[ServiceComplaintOut]]:
    """ 售后投诉列表 · Service complaints: the buyer's own, the shop's forwarded ones, all for agents

    Args:
        state (None | str | Unset):
        shop_id (None | str | Unset):
        limit (int | Unset):  Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | list[ServiceComplaintOut]]
     """


    kwargs = _get_kwargs(
        state=state,
shop_id=shop_id,
limit=limit,
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
    state: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | list[ServiceComplaintOut] | None:
    """ 售后投诉列表 · Service complaints: the buyer's own, the shop's forwarded ones, all for agents

    Args:
        state (None | str | Unset):
        shop_id (None | str | Unset):
        limit (int | Unset):  Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | list[ServiceComplaintOut]
     """


    return sync_detailed(
        client=client,
state=state,
shop_id=shop_id,
limit=limit,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | list[ServiceComplaintOut]]:
    """ 售后投诉列表 · Service complaints: the buyer's own, the shop's forwarded ones, all for agents

    Args:
        state (None | str | Unset):
        shop_id (None | str | Unset):
        limit (int | Unset):  Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | list[ServiceComplaintOut]]
     """


    kwargs = _get_kwargs(
        state=state,
shop_id=shop_id,
limit=limit,
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
    state: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | list[ServiceComplaintOut] | None:
    """ 售后投诉列表 · Service complaints: the buyer's own, the shop's forwarded ones, all for agents

    Args:
        state (None | str | Unset):
        shop_id (None | str | Unset):
        limit (int | Unset):  Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | list[ServiceComplaintOut]
     """


    return (await asyncio_detailed(
        client=client,
state=state,
shop_id=shop_id,
limit=limit,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
