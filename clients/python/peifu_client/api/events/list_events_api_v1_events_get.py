from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.feed_page import FeedPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    after: None | str | Unset = UNSET,
    types: None | str | Unset = UNSET,
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

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    json_types: None | str | Unset
    if isinstance(types, Unset):
        json_types = UNSET
    else:
        json_types = types
    params["types"] = json_types

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
        "url": "/api/v1/events",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | FeedPage | None:
    if response.status_code == 200:
        response_200 = FeedPage.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorOut.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorOut.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorOut.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | FeedPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: None | str | Unset = UNSET,
    types: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | FeedPage]:
    """ The event feed: everything that happened, in order, resumable

     增量事件流 — a consumer that was down catches up from its last cursor. The marketplace's
    key sees every event; a shop's key or staff its own shop's; a buyer their own. Events are
    in the order they were committed (per case, the order things happened).

    Args:
        after (None | str | Unset): The `next_cursor` of the previous page; omit to start at the
            beginning.
        types (None | str | Unset): Comma-separated event types, e.g. `case.agreed,case.refunded`;
            omit for all you may see.
        shop_id (None | str | Unset): One shop.
        limit (int | Unset): Events per page. Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | FeedPage]
     """


    kwargs = _get_kwargs(
        after=after,
types=types,
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
    after: None | str | Unset = UNSET,
    types: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | FeedPage | None:
    """ The event feed: everything that happened, in order, resumable

     增量事件流 — a consumer that was down catches up from its last cursor. The marketplace's
    key sees every event; a shop's key or staff its own shop's; a buyer their own. Events are
    in the order they were committed (per case, the order things happened).

    Args:
        after (None | str | Unset): The `next_cursor` of the previous page; omit to start at the
            beginning.
        types (None | str | Unset): Comma-separated event types, e.g. `case.agreed,case.refunded`;
            omit for all you may see.
        shop_id (None | str | Unset): One shop.
        limit (int | Unset): Events per page. Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | FeedPage
     """


    return sync_detailed(
        client=client,
after=after,
types=types,
shop_id=shop_id,
limit=limit,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: None | str | Unset = UNSET,
    types: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | FeedPage]:
    """ The event feed: everything that happened, in order, resumable

     增量事件流 — a consumer that was down catches up from its last cursor. The marketplace's
    key sees every event; a shop's key or staff its own shop's; a buyer their own. Events are
    in the order they were committed (per case, the order things happened).

    Args:
        after (None | str | Unset): The `next_cursor` of the previous page; omit to start at the
            beginning.
        types (None | str | Unset): Comma-separated event types, e.g. `case.agreed,case.refunded`;
            omit for all you may see.
        shop_id (None | str | Unset): One shop.
        limit (int | Unset): Events per page. Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | FeedPage]
     """


    kwargs = _get_kwargs(
        after=after,
types=types,
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
    after: None | str | Unset = UNSET,
    types: None | str | Unset = UNSET,
    shop_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | FeedPage | None:
    """ The event feed: everything that happened, in order, resumable

     增量事件流 — a consumer that was down catches up from its last cursor. The marketplace's
    key sees every event; a shop's key or staff its own shop's; a buyer their own. Events are
    in the order they were committed (per case, the order things happened).

    Args:
        after (None | str | Unset): The `next_cursor` of the previous page; omit to start at the
            beginning.
        types (None | str | Unset): Comma-separated event types, e.g. `case.agreed,case.refunded`;
            omit for all you may see.
        shop_id (None | str | Unset): One shop.
        limit (int | Unset): Events per page. Default: 100.
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | FeedPage
     """


    return (await asyncio_detailed(
        client=client,
after=after,
types=types,
shop_id=shop_id,
limit=limit,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
