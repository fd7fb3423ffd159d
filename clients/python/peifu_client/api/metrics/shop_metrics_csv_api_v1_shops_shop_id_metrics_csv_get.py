from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    shop_id: str,
    *,
    days: int | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(authorization, Unset):
        headers["authorization"] = authorization

    if not isinstance(x_peifu_actor, Unset):
        headers["x-peifu-actor"] = x_peifu_actor



    

    params: dict[str, Any] = {}

    json_days: int | None | Unset
    if isinstance(days, Unset):
        json_days = UNSET
    else:
        json_days = days
    params["days"] = json_days

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/shops/{shop_id}/metrics.csv".format(shop_id=quote(str(shop_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorOut | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorOut]:
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
    days: int | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[Any | ErrorOut]:
    """ 店铺售后指标 CSV · The same as CSV

    Args:
        shop_id (str): The shop.
        days (int | None | Unset): The last N days, today (UTC) included: 1 to 366. Default: the
            policy's `metrics.window_days` (30).
        from_ (datetime.date | None | Unset): First UTC day of the window (instead of `days`).
        to (datetime.date | None | Unset): Last UTC day of the window, included. Default: today.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorOut]
     """


    kwargs = _get_kwargs(
        shop_id=shop_id,
days=days,
from_=from_,
to=to,
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
    days: int | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Any | ErrorOut | None:
    """ 店铺售后指标 CSV · The same as CSV

    Args:
        shop_id (str): The shop.
        days (int | None | Unset): The last N days, today (UTC) included: 1 to 366. Default: the
            policy's `metrics.window_days` (30).
        from_ (datetime.date | None | Unset): First UTC day of the window (instead of `days`).
        to (datetime.date | None | Unset): Last UTC day of the window, included. Default: today.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorOut
     """


    return sync_detailed(
        shop_id=shop_id,
client=client,
days=days,
from_=from_,
to=to,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    shop_id: str,
    *,
    client: AuthenticatedClient | Client,
    days: int | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[Any | ErrorOut]:
    """ 店铺售后指标 CSV · The same as CSV

    Args:
        shop_id (str): The shop.
        days (int | None | Unset): The last N days, today (UTC) included: 1 to 366. Default: the
            policy's `metrics.window_days` (30).
        from_ (datetime.date | None | Unset): First UTC day of the window (instead of `days`).
        to (datetime.date | None | Unset): Last UTC day of the window, included. Default: today.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorOut]
     """


    kwargs = _get_kwargs(
        shop_id=shop_id,
days=days,
from_=from_,
to=to,
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
    days: int | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Any | ErrorOut | None:
    """ 店铺售后指标 CSV · The same as CSV

    Args:
        shop_id (str): The shop.
        days (int | None | Unset): The last N days, today (UTC) included: 1 to 366. Default: the
            policy's `metrics.window_days` (30).
        from_ (datetime.date | None | Unset): First UTC day of the window (instead of `days`).
        to (datetime.date | None | Unset): Last UTC day of the window, included. Default: today.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorOut
     """


    return (await asyncio_detailed(
        shop_id=shop_id,
client=client,
days=days,
from_=from_,
to=to,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
