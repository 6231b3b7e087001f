"""The Swagger and Redoc pages, each with a Content-Security-Policy that allows exactly what it
loads: its bundles from their CDN, its one inline start-up script by hash, and calls back to
this server (Swagger's "Try it out"). API responses get `default-src 'none'` instead."""

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin

# Where the page's policy waits for the security-headers hook (request state lives in scope).
DOCS_POLICY_KEY = "docs_content_security_policy"

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
_HREF = re.compile(r"""href=['"]([^'"]+)['"]""")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _script_hashes(page: bytes) -> list[str]:
    """The start-up script embeds the schema, so it is hashed as rendered, not ahead of time."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    ]


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives.items()
    )


def _favicon_origins(favicon_tag: str) -> list[str]:
    return [_origin(url) for url in _HREF.findall(favicon_tag)]


class SwaggerPage(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        page = super().render(request, openapi_schema)
        request.state[DOCS_POLICY_KEY] = _policy(
            {
                "default-src": ["'none'"],
                "script-src": [
                    _origin(self.js_url),
                    _origin(self.standalone_preset_js_url),
                    *_script_hashes(page),
                ],
                # Swagger UI sets style attributes as it draws; styles cannot run code.
                "style-src": [_origin(self.css_url), "'unsafe-inline'"],
                "img-src": [*_favicon_origins(self.favicon), "data:"],
                "connect-src": ["'self'"],
                "frame-ancestors": ["'none'"],
                "base-uri": ["'none'"],
                "form-action": ["'none'"],
            }
        )
        return page


class RedocPage(RedocRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        page = super().render(request, openapi_schema)
        fonts = self.google_fonts
        request.state[DOCS_POLICY_KEY] = _policy(
            {
                "default-src": ["'none'"],
                "script-src": [_origin(self.js_url), *_script_hashes(page)],
                # Redoc injects its styles at run time.
                "style-src": [
                    *(["https://fonts.googleapis.com"] if fonts else []),
                    "'unsafe-inline'",
                ],
                "font-src": ["https://fonts.gstatic.com"] if fonts else ["'none'"],
                "img-src": [*_favicon_origins(self.favicon), "data:"],
                # Redoc's search index runs in a worker made from a blob.
                "worker-src": ["blob:"],
                "frame-ancestors": ["'none'"],
                "base-uri": ["'none'"],
                "form-action": ["'none'"],
            }
        )
        return page
