"""FileStorage on an S3-compatible object store, over plain HTTP requests signed with SigV4.

Objects live under `s3://bucket/prefix/<key>` (path-style URLs, which every S3-compatible server
accepts). A stream is uploaded in parts of PART_BYTES (S3 needs each request's length up front),
as one PUT when it fits in a single part; a failed multipart upload is aborted, so no partial
object ever becomes visible."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from datetime import UTC, datetime
from urllib.parse import quote
from xml.etree import ElementTree

import httpx

from adapters.http.sigv4 import EMPTY_SHA256, encoded_query, sign
from application.storage.ports import StoredFile, check_key
from domain.shared.errors import NotFound

PART_BYTES = 8 * 1024 * 1024  # S3's smallest part is 5 MiB (the last one may be smaller)
_NS = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}


class S3StorageError(RuntimeError):
    """The object store refused a request; the message carries its status and code."""


async def _parts(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        while len(buffer) >= PART_BYTES:
            yield bytes(buffer[:PART_BYTES])
            del buffer[:PART_BYTES]
    yield bytes(buffer)


class S3FileStorage:
    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        endpoint_url: str | None,
        access_key: str,
        secret_key: str,
        region: str,
        timeout_seconds: float = 60,
    ) -> None:
        self._bucket = bucket
        self._prefix = prefix.strip("/")
        self._endpoint = (endpoint_url or f"https://s3.{region}.amazonaws.com").rstrip("/")
        self._credentials = {"access_key": access_key, "secret_key": secret_key, "region": region}
        self._timeout = timeout_seconds

    def _object(self, key: str) -> str:
        name = f"{self._prefix}/{check_key(key)}" if self._prefix else check_key(key)
        return name

    def _url(self, name: str = "") -> str:
        path = f"/{quote(self._bucket)}" + (f"/{quote(name, safe='/-_.~')}" if name else "")
        return self._endpoint + path

    async def _request(
        self,
        client: httpx.AsyncClient,
        method: str,
        name: str = "",
        query: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> httpx.Response:
        query = dict(query or {})
        url = self._url(name)
        payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        headers = sign(method, url, query, payload_hash, now=datetime.now(UTC), **self._credentials)
        full_url = f"{url}?{encoded_query(query)}" if query else url
        request = client.build_request(method, full_url, headers=headers, content=body)
        return await client.send(request, stream=method == "GET" and bool(name))

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout)

    @staticmethod
    def _check(response: httpx.Response, what: str) -> None:
        if response.status_code >= 300:
            raise S3StorageError(f"{what}: HTTP {response.status_code} {response.text[:300]}")

    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        name = self._object(key)
        parts = _parts(chunks)
        first = await anext(parts)
        async with self._client() as client:
            second = await anext(parts, None)
            if second is None:
                response = await self._request(client, "PUT", name, body=first)
                self._check(response, f"PUT {name}")
                return len(first)
            return await self._multipart(client, name, first, second, parts)

    async def _multipart(
        self,
        client: httpx.AsyncClient,
        name: str,
        first: bytes,
        second: bytes,
        rest: AsyncIterator[bytes],
    ) -> int:
        response = await self._request(client, "POST", name, {"uploads": ""})
        self._check(response, f"starting the upload of {name}")
        upload_id = ElementTree.fromstring(response.content).findtext("s3:UploadId", "", _NS)
        etags: list[str] = []
        size = 0
        try:
            for body in (first, second):
                size += await self._part(client, name, upload_id, etags, body)
            async for body in rest:
                if body:
                    size += await self._part(client, name, upload_id, etags, body)
            completion = "".join(
                f"<Part><PartNumber>{number}</PartNumber><ETag>{etag}</ETag></Part>"
                for number, etag in enumerate(etags, start=1)
            )
            body = f"<CompleteMultipartUpload>{completion}</CompleteMultipartUpload>".encode()
            response = await self._request(client, "POST", name, {"uploadId": upload_id}, body)
            self._check(response, f"completing the upload of {name}")
        except BaseException:
            await self._request(client, "DELETE", name, {"uploadId": upload_id})
            raise
        return size

    async def _part(
        self, client: httpx.AsyncClient, name: str, upload_id: str, etags: list[str], body: bytes
    ) -> int:
        query = {"partNumber": str(len(etags) + 1), "uploadId": upload_id}
        response = await self._request(client, "PUT", name, query, body)
        self._check(response, f"uploading part {len(etags) + 1} of {name}")
        etags.append(response.headers["etag"])
        return len(body)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        name = self._object(key)
        client = self._client()
        response = await self._request(client, "GET", name)
        if response.status_code == 404:
            await response.aclose()
            await client.aclose()
            raise NotFound("file", key)
        if response.status_code >= 300:
            await response.aread()
            await client.aclose()
            self._check(response, f"GET {name}")
        return self._stream(client, response)

    @staticmethod
    async def _stream(client: httpx.AsyncClient, response: httpx.Response) -> AsyncIterator[bytes]:
        try:
            async for chunk in response.aiter_bytes(1024 * 1024):
                yield chunk
        finally:
            await response.aclose()
            await client.aclose()

    async def list(self, prefix: str = "") -> list[StoredFile]:
        base = f"{self._prefix}/" if self._prefix else ""
        query = {"list-type": "2", "prefix": base + prefix}
        found: list[StoredFile] = []
        async with self._client() as client:
            while True:
                response = await self._request(client, "GET", "", query)
                self._check(response, f"listing {base + prefix}")
                page = ElementTree.fromstring(response.content)
                for item in page.findall("s3:Contents", _NS):
                    name = item.findtext("s3:Key", "", _NS)
                    size = int(item.findtext("s3:Size", "0", _NS))
                    found.append(StoredFile(key=name.removeprefix(base), size=size))
                token = page.findtext("s3:NextContinuationToken", None, _NS)
                if page.findtext("s3:IsTruncated", "false", _NS) != "true" or not token:
                    break
                query = {**query, "continuation-token": token}
        return sorted(found, key=lambda stored: stored.key)

    async def delete(self, key: str) -> None:
        name = self._object(key)
        async with self._client() as client:
            response = await self._request(client, "DELETE", name)
        if response.status_code != 404:
            self._check(response, f"DELETE {name}")

    async def size(self, key: str) -> int | None:
        name = self._object(key)
        async with self._client() as client:
            response = await self._request(client, "HEAD", name)
        if response.status_code == 404:
            return None
        self._check(response, f"HEAD {name}")
        return int(response.headers["content-length"])
