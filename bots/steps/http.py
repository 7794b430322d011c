"""HTTP step: ``http.request``, for systems with a REST API (httpx).

One request, or every page of a paginated list, with the authentication schemes back offices
meet (basic, bearer, API key, OAuth2 client credentials). Failures carry their meaning:
429, 5xx, timeouts and connection errors are transient (the step's ``retry:`` applies, and a
``Retry-After`` header sets the least wait), every other 4xx is a business error naming the
method, the URL (secrets masked) and the start of the body.

```yaml
steps:
  - id: customers
    http.request:
      url: "{{ settings.crm.url }}/api/customers"
      auth: {type: bearer, token: "{{ secrets.CRM_TOKEN }}"}
      params: {updated_since: "{{ vars.since }}"}
      paginate: {next: "{{ response.json.next }}", items: "{{ response.json.data }}", max_pages: 500}
    retry: {attempts: 3, delay: 5m}
  - log: "{{ steps.customers.items | length }} customers in {{ steps.customers.pages }} pages"
```

Pagination forms (``response`` — ``status``, ``headers``, ``json``, ``text``, ``url`` — is in
scope inside ``paginate``; each form stops on an empty page, a page equal to the one before,
or ``max_pages``):

- ``{next: "{{ response.json.next }}"}``: the next URL comes from the body (relative URLs
  are resolved against the current page);
- ``{link_header: true}``: follow ``Link: <…>; rel="next"``;
- ``{param: page, start: 1}``: a page number parameter; ``{param: offset, start: 0, step: items}``
  moves by the number of records received;
- ``{cursor: cursor, from: "{{ response.json.next_cursor }}"}``: a cursor parameter.
"""

from __future__ import annotations

import base64
import hashlib
import json as jsonlib
import threading
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bots import expressions
from bots.errors import BusinessError, InputError, TransientError
from bots.registry import StepParams, step

DEFAULT_TIMEOUT = 30.0
BODY_EXCERPT = 300


class AuthParams(StepParams):
    """How the request proves who it is.

    ```yaml
    auth: {type: basic, username: "{{ secrets.API_USER }}", password: "{{ secrets.API_PASSWORD }}"}
    auth: {type: bearer, token: "{{ secrets.CRM_TOKEN }}"}
    auth: {type: api_key, name: X-Api-Key, value: "{{ secrets.KEY }}", in: header}
    auth: {type: oauth2_client_credentials, token_url: "https://id.example/token",
           client_id: "{{ secrets.ID }}", client_secret: "{{ secrets.SECRET }}", scope: "orders"}
    ```
    """

    type: Literal["basic", "bearer", "api_key", "oauth2_client_credentials"] = Field(description="the scheme")
    username: str | None = Field(None, description="basic: user name")
    password: str | None = Field(None, description="basic: password")
    token: str | None = Field(None, description="bearer: the token")
    name: str | None = Field(None, description="api_key: header or query parameter name")
    value: str | None = Field(None, description="api_key: the key")
    in_: Literal["header", "query"] = Field("header", alias="in", description="api_key: where the key goes")
    token_url: str | None = Field(None, description="oauth2: the token endpoint")
    client_id: str | None = Field(None, description="oauth2: client id")
    client_secret: str | None = Field(None, description="oauth2: client secret")
    scope: str | None = Field(None, description="oauth2: requested scope (space-separated)")

    model_config = {**StepParams.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _complete(self):
        needed = {"basic": ("username", "password"), "bearer": ("token",), "api_key": ("name", "value"),
                  "oauth2_client_credentials": ("token_url", "client_id", "client_secret")}[self.type]
        missing = [n for n in needed if not getattr(self, n)]
        if missing:
            raise ValueError(f"auth type {self.type} needs {', '.join(missing)}")
        return self


class PaginateParams(StepParams):
    """Follow pages. Expressions here see ``response`` (the page just received)."""

    next: str | None = Field(None, description="expression giving the next page's URL (empty: last page)")
    link_header: bool = Field(False, description="follow the Link header's rel=next")
    param: str | None = Field(None, description="page/offset query parameter to count up")
    start: int = Field(1, description="param: its first value")
    step: int | Literal["items"] = Field(1, description="param: how much it grows per page; 'items' = records received")
    cursor: str | None = Field(None, description="cursor query parameter name")
    from_: str | None = Field(None, alias="from", description="cursor: expression giving the next cursor (empty: done)")
    items: str | None = Field(None, description="expression giving the records of a page (default: the body when it is a list)")
    max_pages: int = Field(100, ge=1, le=1_000_000, description="stop after this many pages, with a warning")

    model_config = {**StepParams.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _one_form(self):
        forms = [name for name, on in (("next", self.next), ("link_header", self.link_header),
                                       ("param", self.param), ("cursor", self.cursor)) if on]
        if len(forms) != 1:
            raise ValueError("give exactly one of next, link_header, param or cursor"
                             + (f" (got {', '.join(forms)})" if forms else ""))
        if self.cursor and not self.from_:
            raise ValueError("cursor needs from: the expression giving the next cursor")
        return self


class RequestParams(StepParams):
    """Call an HTTP API; JSON in and out, pages followed, errors classified.

    ```yaml
    - id: order
      http.request:
        url: "{{ settings.erp.url }}/api/orders"
        method: POST
        auth: {type: api_key, name: X-Api-Key, value: "{{ secrets.ERP_KEY }}"}
        json: {customer: "{{ row.code }}", total: "{{ row.total }}"}
        expect_status: [201]
    ```
    """

    url: str = Field(description="absolute http(s) URL")
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = Field("GET", description="HTTP method")
    headers: dict[str, str] = Field(default_factory=dict, description="extra request headers")
    params: dict[str, Any] = Field(default_factory=dict, description="query parameters")
    json_: Any = Field(None, alias="json", description="JSON body")
    form: dict[str, Any] | None = Field(None, description="form body (application/x-www-form-urlencoded)")
    files: dict[str, str] | None = Field(None, description="multipart upload: field name -> file path")
    auth: AuthParams | None = Field(None, description="authentication")
    paginate: PaginateParams | None = Field(None, description="follow pages (see the module docs)")
    expect_status: list[int] | None = Field(None, description="statuses that count as success (default: any 2xx)")
    timeout: float = Field(DEFAULT_TIMEOUT, gt=0, description="seconds for connect and each read")
    verify: bool = Field(True, description="check the server's TLS certificate (keep on)")
    ca_bundle: str | None = Field(None, description="PEM file of the CA that signs a private server's certificate")

    model_config = {**StepParams.model_config, "populate_by_name": True}

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, v):
        return v.upper() if isinstance(v, str) else v

    @field_validator("expect_status", mode="before")
    @classmethod
    def _listify(cls, v):
        return [v] if isinstance(v, int) else v

    @field_validator("url")
    @classmethod
    def _absolute(cls, v: str) -> str:
        if not v.lower().startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return v

    @model_validator(mode="after")
    def _one_body(self):
        bodies = [n for n, v in (("json", self.json_), ("form", self.form)) if v is not None]
        if len(bodies) > 1:
            raise ValueError("give one body: json or form")
        if self.json_ is not None and self.files:
            raise ValueError("files go with form fields, not with a json body")
        return self


# ---- OAuth2 token cache: one token per (endpoint, client, scope), shared by the process ----
_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def _token_key(auth: AuthParams) -> str:
    raw = f"{auth.token_url}\0{auth.client_id}\0{auth.client_secret}\0{auth.scope or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _oauth_token(client, auth: AuthParams, ctx, *, refresh: bool = False) -> str:
    key = _token_key(auth)
    with _tokens_lock:
        cached = _tokens.get(key)
        if cached and not refresh and cached[1] > time.monotonic():
            return cached[0]
    data = {"grant_type": "client_credentials"}
    if auth.scope:
        data["scope"] = auth.scope
    response = _send(client, ctx, "POST", auth.token_url, data=data, auth=(auth.client_id, auth.client_secret))
    if response.status_code >= 400:
        _raise_for(response, "POST", auth.token_url, ctx, what="OAuth2 token request")
    try:
        body = response.json()
        token = body["access_token"]
    except (ValueError, KeyError, TypeError):
        raise BusinessError(f"OAuth2 token request POST {ctx.mask(auth.token_url)}: the answer has no access_token") from None
    ctx.redactor.add(token)
    # refresh a little before the server's expiry so a long pagination never sends a dead token
    lifetime = float(body.get("expires_in") or 3600)
    with _tokens_lock:
        _tokens[key] = (token, time.monotonic() + max(lifetime - min(60.0, lifetime / 10), 1.0))
    return token


def _apply_auth(client, auth: AuthParams | None, ctx, headers: dict, query: dict, *, refresh: bool = False) -> None:
    if auth is None:
        return
    if auth.type == "basic":
        encoded = base64.b64encode(f"{auth.username}:{auth.password}".encode()).decode()
        ctx.redactor.add(encoded)
        headers["Authorization"] = f"Basic {encoded}"
    elif auth.type == "bearer":
        headers["Authorization"] = f"Bearer {auth.token}"
    elif auth.type == "api_key":
        (headers if auth.in_ == "header" else query)[auth.name] = auth.value
    else:
        headers["Authorization"] = f"Bearer {_oauth_token(client, auth, ctx, refresh=refresh)}"


# ---- sending and classifying ----------------------------------------------------------
def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _send(client, ctx, method: str, url: str, **kwargs):
    import httpx

    kwargs.setdefault("timeout", ctx.time_left(DEFAULT_TIMEOUT))
    try:
        return client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise TransientError(f"{method} {ctx.mask(_shown(url, kwargs))}: no answer in time") from None
    except httpx.TransportError as exc:
        raise TransientError(f"{method} {ctx.mask(_shown(url, kwargs))}: cannot connect ({ctx.mask(str(exc)) or type(exc).__name__})") from None
    except httpx.InvalidURL as exc:
        raise BusinessError(f"{method} {ctx.mask(url)}: invalid URL ({exc})") from None


def _shown(url: str, kwargs: dict) -> str:
    params = kwargs.get("params")
    if not params:
        return url
    import httpx

    return str(httpx.URL(url, params=params))


def _raise_for(response, method: str, url: str, ctx, what: str = "") -> None:
    status = response.status_code
    body = ctx.mask(response.text[:BODY_EXCERPT].strip()) if response.content else ""
    shown = ctx.mask(str(response.request.url) if response.request else url)
    label = f"{what} " if what else ""
    message = f"{label}{method} {shown} answered {status} {response.reason_phrase}" + (f": {body}" if body else "")
    if status == 429 or status >= 500:
        error = TransientError(message)
        error.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        raise error
    raise BusinessError(message)


def _response_view(response) -> dict:
    content_type = response.headers.get("content-type", "")
    parsed: Any = None
    if response.content and ("json" in content_type or response.content[:1] in (b"{", b"[")):
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
    return {"status": response.status_code, "headers": dict(response.headers), "json": parsed,
            "text": response.text, "url": str(response.url)}


def _render_paging(template: str | None, scope: dict, view: dict, what: str) -> Any:
    if template is None:
        return None
    try:
        return expressions.render(template, {**scope, "response": view})
    except Exception as exc:
        raise BusinessError(f"paginate.{what}: {exc}") from None


def _page_items(paging: PaginateParams | None, scope: dict, view: dict) -> list:
    if paging is not None and paging.items:
        items = _render_paging(paging.items, scope, view, "items")
    else:
        items = view["json"] if isinstance(view["json"], list) else None
    if items is None:
        return []
    if not isinstance(items, list):
        raise BusinessError(f"paginate.items: expected a list of records, got {type(items).__name__}")
    return items


def _merged_query(url: str, query: dict) -> Any:
    """The URL's own query string with ``query`` over it (a key in both takes ``query``'s value).

    httpx replaces a URL's query with ``params`` when both are given: ``…/orders?per_page=500``
    paginated by ``page`` would lose its ``per_page``, and a next-page link its cursor under
    a query API key."""
    if not query:
        return None
    import httpx

    try:
        return httpx.URL(url).copy_merge_params(query).params
    except httpx.InvalidURL:
        return query  # _send names the bad URL


def _files(files: dict[str, str] | None) -> dict | None:
    if not files:
        return None
    opened = {}
    for field_name, path in files.items():
        file = Path(path)
        if not file.is_file():
            raise InputError("file to upload not found; check the path", file=str(file))
        opened[field_name] = (file.name, file.read_bytes())
    return opened


@step("http.request", RequestParams, raw=("paginate",), raw_scope=("response",), outputs={
    "status": "HTTP status of the (last) response",
    "headers": "headers of the (last) response",
    "json": "body of the (last) response parsed as JSON (null when it is not JSON)",
    "text": "body of the (last) response as text",
    "items": "the records of every page (with paginate), else the body when it is a JSON list",
    "pages": "how many pages were fetched",
})
def request(ctx, params: RequestParams) -> dict:
    import httpx

    paging = params.paginate
    client = _client_for(ctx, params)
    return _fetch_all(client, ctx, params, paging)


def _client_for(ctx, params: RequestParams):
    """One client per run and TLS setting: its connection pool and certificate store are reused
    (building a verifying TLS context costs ~0.1 s, more than a request to a nearby API)."""
    import httpx

    if params.verify and params.ca_bundle and not Path(params.ca_bundle).is_file():
        raise InputError("CA bundle not found", file=params.ca_bundle)

    def create():
        return httpx.Client(verify=_tls_context(params.verify, params.ca_bundle), follow_redirects=True,
                            headers={"User-Agent": "deskbot"})

    name = f"http-client:{params.verify}:{params.ca_bundle or ''}"
    return ctx.resources.get(name, create, lambda client: client.close())


_tls_contexts: dict[tuple, Any] = {}
_tls_lock = threading.Lock()


def _tls_context(verify: bool, ca_bundle: str | None):
    """A verifying TLS context shared by the runs of this process (a worker or the console runs
    many): loading the certificate store costs ~20 ms of CPU per client otherwise. Keyed by the
    CA bundle's path and modification time, and by SSL_CERT_FILE/SSL_CERT_DIR, so a replaced
    bundle is read again."""
    import os
    import ssl

    if not verify:
        return False
    if ca_bundle:
        stat = Path(ca_bundle).stat()
        key: tuple = ("bundle", ca_bundle, stat.st_mtime_ns, stat.st_size)
    else:
        key = ("default", os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    with _tls_lock:
        context = _tls_contexts.get(key)
        if context is None:
            if ca_bundle:
                context = ssl.create_default_context(cafile=ca_bundle)
            else:
                import httpx

                context = httpx.create_ssl_context(verify=True)
            _tls_contexts[key] = context
        return context


def _fetch_all(client, ctx, params: RequestParams, paging: PaginateParams | None) -> dict:
    url, query = params.url, dict(params.params)
    expected = set(params.expect_status or ())
    items: list = []
    pages = 0
    seen_pages: set[str] = set()
    counter = paging.start if paging and paging.param else None
    if counter is not None:
        query[paging.param] = counter
    view: dict = {}
    while True:
        response = _one_request(client, ctx, params, url, query)
        ok = response.status_code in expected if expected else 200 <= response.status_code < 300
        if not ok:
            if response.status_code < 400 and expected:
                raise BusinessError(f"{params.method} {ctx.mask(str(response.url))} answered {response.status_code},"
                                    f" expected {', '.join(map(str, sorted(expected)))}")
            _raise_for(response, params.method, url, ctx)
        view = _response_view(response)
        pages += 1
        page_items = _page_items(paging, ctx.scope, view)
        fingerprint = hashlib.sha256(response.content).hexdigest()
        if paging is None:
            items = page_items
            break
        if fingerprint in seen_pages:  # a server that answers the last page for any page number
            ctx.log(f"page {pages} repeats an earlier page; stopping")
            break
        seen_pages.add(fingerprint)
        items.extend(page_items)
        if not page_items:
            break
        if pages >= paging.max_pages:
            ctx.log(f"stopped after max_pages={paging.max_pages}; more pages may exist", "WARNING")
            break
        url, query, counter, more = _next_request(paging, ctx, view, response, url, query, counter, len(page_items))
        if not more:
            break
    return {"status": view["status"], "headers": view["headers"], "json": view["json"], "text": view["text"],
            "items": items, "pages": pages}


def _next_request(paging: PaginateParams, ctx, view: dict, response, url: str, query: dict,
                  counter: int | None, received: int) -> tuple[str, dict, int | None, bool]:
    if paging.next:
        following = _render_paging(paging.next, ctx.scope, view, "next")
        if not following:
            return url, query, counter, False
        # the next URL carries its own query; the first request's params are not repeated
        return str(response.url.join(str(following))), {}, counter, True
    if paging.link_header:
        link = response.links.get("next", {}).get("url")
        if not link:
            return url, query, counter, False
        return str(response.url.join(link)), {}, counter, True
    if paging.param:
        counter += received if paging.step == "items" else paging.step
        return url, {**query, paging.param: counter}, counter, True
    cursor = _render_paging(paging.from_, ctx.scope, view, "from")
    if cursor in (None, "", [], {}):
        return url, query, counter, False
    return url, {**query, paging.cursor: cursor}, counter, True


def _one_request(client, ctx, params: RequestParams, url: str, query: dict):
    for refresh in (False, True):
        headers, auth_query = dict(params.headers), {}
        _apply_auth(client, params.auth, ctx, headers, auth_query, refresh=refresh)
        kwargs: dict[str, Any] = {"headers": headers, "params": _merged_query(url, {**query, **auth_query}),
                                  "timeout": ctx.time_left(params.timeout)}
        if params.json_ is not None:
            kwargs["content"] = jsonlib.dumps(params.json_, default=str, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json")
        elif params.form is not None or params.files:
            kwargs["data"] = params.form or {}
            if params.files:
                kwargs["files"] = _files(params.files)
        response = _send(client, ctx, params.method, url, **kwargs)
        # an OAuth2 token the server revoked early: fetch a new one once
        if response.status_code == 401 and params.auth and params.auth.type == "oauth2_client_credentials" and not refresh:
            continue
        return response
    return response
