from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.shop_complaint_stats_out import ShopComplaintStatsOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    shop_id: str,
    *,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(authorization, Unset):
        headers["authorization"] = authorization

    if not isinstance(x_peifu_actor, Unset):
        headers["x-peifu-actor"] = x_peifu_actor



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/shops/{shop_id}/service-complaint-stats".format(shop_id=quote(str(shop_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | ShopComplaintStatsOut | None:
    if response.status_code == 200:
        response_200 = ShopComplaintStatsOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | ShopComplaintStatsOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    shop_id: str,
    *,
    client: AuthenticatedClient | Client,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ShopComplaintStatsOut]:
    """ 售后投诉统计 · A shop's complaints per 1,000 orders, steps done in time, satisfaction (5.2–5.3)

    Args:
        shop_id (str):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ShopComplaintStatsOut]
     """


    kwargs = _get_kwargs(
        shop_id=shop_id,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    shop_id: str,
    *,
    client: AuthenticatedClient | Client,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ShopComplaintStatsOut | None:
    """ 售后投诉统计 · A shop's complaints per 1,000 orders, steps done in time, satisfaction (5.2–5.3)

    Args:
        shop_id (str):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ShopComplaintStatsOut
     """


    return sync_detailed(
        shop_id=shop_id,
client=client,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    shop_id: str,
    *,
    client: AuthenticatedClient | Client,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ShopComplaintStatsOut]:
    """ 售后投诉统计 · A shop's complaints per 1,000 orders, steps done in time, satisfaction (5.2–5.3)

    Args:
        shop_id (str):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ShopComplaintStatsOut]
     """


    kwargs = _get_kwargs(
        shop_id=shop_id,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    shop_id: str,
    *,
    client: AuthenticatedClient | Client,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ShopComplaintStatsOut | None:
    """ 售后投诉统计 · A shop's complaints per 1,000 orders, steps done in time, satisfaction (5.2–5.3)

    Args:
        shop_id (str):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ShopComplaintStatsOut
     """


    return (await asyncio_detailed(
        shop_id=shop_id,
client=client,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
