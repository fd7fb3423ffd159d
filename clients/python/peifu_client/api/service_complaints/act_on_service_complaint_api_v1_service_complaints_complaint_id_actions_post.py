from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_out import ErrorOut
from ...models.service_complaint_act_in import ServiceComplaintActIn
from ...models.service_complaint_detail_out import ServiceComplaintDetailOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    complaint_id: int,
    *,
    body: ServiceComplaintActIn,
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
        "url": "/api/v1/service-complaints/{complaint_id}/actions".format(complaint_id=quote(str(complaint_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorOut | ServiceComplaintDetailOut | None:
    if response.status_code == 200:
        response_200 = ServiceComplaintDetailOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    complaint_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintActIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    """ 处理售后投诉 · One move: register, forward, contact, propose_remedy, report_done, resolve, rate…

    Args:
        complaint_id (int):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintActIn): One move of a service complaint
            (domain.service_complaints.TABLE); what each needs:
            register → category; propose_remedy → remedy and promised_by; report_done → result;
            resolve → note; rate → rating (1–5) and an optional comment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ServiceComplaintDetailOut]
     """


    kwargs = _get_kwargs(
        complaint_id=complaint_id,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    complaint_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintActIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ServiceComplaintDetailOut | None:
    """ 处理售后投诉 · One move: register, forward, contact, propose_remedy, report_done, resolve, rate…

    Args:
        complaint_id (int):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintActIn): One move of a service complaint
            (domain.service_complaints.TABLE); what each needs:
            register → category; propose_remedy → remedy and promised_by; report_done → result;
            resolve → note; rate → rating (1–5) and an optional comment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ServiceComplaintDetailOut
     """


    return sync_detailed(
        complaint_id=complaint_id,
client=client,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    ).parsed

async def asyncio_detailed(
    complaint_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintActIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> Response[ErrorOut | ServiceComplaintDetailOut]:
    """ 处理售后投诉 · One move: register, forward, contact, propose_remedy, report_done, resolve, rate…

    Args:
        complaint_id (int):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintActIn): One move of a service complaint
            (domain.service_complaints.TABLE); what each needs:
            register → category; propose_remedy → remedy and promised_by; report_done → result;
            resolve → note; rate → rating (1–5) and an optional comment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOut | ServiceComplaintDetailOut]
     """


    kwargs = _get_kwargs(
        complaint_id=complaint_id,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    complaint_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ServiceComplaintActIn,
    authorization: None | str | Unset = UNSET,
    x_peifu_actor: None | str | Unset = UNSET,

) -> ErrorOut | ServiceComplaintDetailOut | None:
    """ 处理售后投诉 · One move: register, forward, contact, propose_remedy, report_done, resolve, rate…

    Args:
        complaint_id (int):
        authorization (None | str | Unset): `Bearer <token>` from POST /api/v1/auth/login, or
            `Bearer pk_…` for an integration API key.
        x_peifu_actor (None | str | Unset): Only where the deployment trusts its gateway
            (PEIFU_TRUST_ACTOR_HEADER=1): who is acting, as `role:id` — e.g. `buyer:buyer-wang`,
            `seller:shop-lining`, `agent:xiaoer-01`, `courier:SF`, `platform:platform`.
        body (ServiceComplaintActIn): One move of a service complaint
            (domain.service_complaints.TABLE); what each needs:
            register → category; propose_remedy → remedy and promised_by; report_done → result;
            resolve → note; rate → rating (1–5) and an optional comment.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOut | ServiceComplaintDetailOut
     """


    return (await asyncio_detailed(
        complaint_id=complaint_id,
client=client,
body=body,
authorization=authorization,
x_peifu_actor=x_peifu_actor,

    )).parsed
