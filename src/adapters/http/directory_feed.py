"""The student directory as an HTTP JSON feed, read page by page with a bearer token.

A page is a list of students, or an object holding them under `students`, `items` or `data`.
The next page is the body's `next` (or `links.next`) URL, else the `Link: <...>; rel="next"`
header, else, when the body says `page` and `total_pages` (or `pages`), the same URL with
`page` one higher. A page that fails fails the whole read: half a directory would make
everyone on the missing pages look absent."""

from typing import Any

import httpx

from application.directory.ports import DirectoryRead, DirectoryRecord

MAX_PAGES = 10_000


def _items(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("students", "items", "data"):
            if isinstance(body.get(key), list):
                return list(body[key])
    raise ValueError("the feed's page holds no list of students")


def _next_url(response: httpx.Response, body: Any) -> str | None:
    if isinstance(body, dict):
        links = body.get("links")
        link = body.get("next") or (links.get("next") if isinstance(links, dict) else None)
        if isinstance(link, str) and link:
            return str(response.url.join(link))
        page, pages = body.get("page"), body.get("total_pages", body.get("pages"))
        if isinstance(page, int) and isinstance(pages, int) and page < pages:
            return str(response.url.copy_set_param("page", page + 1))
    following = response.links.get("next", {}).get("url")
    return None if following is None else str(response.url.join(following))


class HttpStudentDirectory:
    source = "http"

    def __init__(self, url: str, token: str | None, timeout_seconds: float = 30) -> None:
        self._url = url
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout_seconds

    async def read(self) -> DirectoryRead | None:
        records: list[DirectoryRecord] = []
        url: str | None = self._url
        async with httpx.AsyncClient(timeout=self._timeout, headers=self._headers) as client:
            for page in range(1, MAX_PAGES + 1):
                if url is None:
                    break
                response = await client.get(url)
                response.raise_for_status()
                body = response.json()
                records += [
                    DirectoryRecord(where=f"page {page} item {number}", values=item)
                    for number, item in enumerate(_items(body), start=1)
                    if isinstance(item, dict)
                ]
                url = _next_url(response, body)
        return DirectoryRead(records=records)

    async def acknowledge(self, read: DirectoryRead) -> None:
        return None
