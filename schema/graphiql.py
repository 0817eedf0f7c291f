"""The GraphiQL page at GET /graphql: strawberry's page (its scripts pinned by SRI) that keeps API keys out of storage."""
from __future__ import annotations

from strawberry.http.ides import get_graphql_ide_html

_PERSISTED = "shouldPersistHeaders: true"


def page() -> str:
    """Strawberry's GraphiQL page, told not to persist headers.

    With the prop false, GraphiQL keeps the headers editor (the API key) in memory only, strips headers from the
    tab state it saves, hides the "persist headers" switch and, on load, wipes headers an older page had saved.
    """
    html = get_graphql_ide_html("graphiql")
    if html.count(_PERSISTED) != 1:
        # A strawberry upgrade changed its page: refuse to serve one that may store keys in localStorage.
        raise RuntimeError("strawberry's GraphiQL page changed; review schema/graphiql.py")
    return html.replace(_PERSISTED, "shouldPersistHeaders: false")


PAGE = page()
