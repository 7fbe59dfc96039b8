"""HTML answers with a Content-Security-Policy that lets only the app's own code run.

The pages' scripts are inline (the view's data and its code, so a saved page works offline);
each is allowed by its SHA-256 hash, computed from the page as sent, and everything else is
the app's own origin: no script from elsewhere, no inline event handler, no `eval`. Data is
put into pages only through Jinja's autoescaping and `tojson` (`mineralkg.views.render`), so
a name such as `</script><script>...` stays text; the hash list is the second line of defence.
Styles may be inline (`'unsafe-inline'` for styles only: vis-network positions its elements
with style attributes; a style cannot run code).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.responses import HTMLResponse

_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_for(html: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": csp_for(html)})
