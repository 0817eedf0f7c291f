"""The GraphiQL page at GET /graphql: GraphiQL, its explorer and React served from our own origin, no inline script."""
from __future__ import annotations

# The files come from npm at pinned versions (tools/web/, copied into web/vendor/ by `make web`): GraphiQL 3, the
# newest line that ships a browser (UMD) build; GraphiQL 4+ is ES modules for a bundler only. /ide/graphiql.js
# starts it with a fetcher that sends the headers typed into the headers editor (the API key) over HTTP and as the
# websocket's connection_init payload; headers are kept in memory only (shouldPersistHeaders false).
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mediagraph GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/vendor/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/vendor/graphiql-explorer/style.css">
<link rel="stylesheet" href="/ide/graphiql.css">
</head>
<body>
<div id="graphiql" data-endpoint="/graphql">Loading GraphiQL...</div>
<script src="/vendor/react/react.production.min.js"></script>
<script src="/vendor/react-dom/react-dom.production.min.js"></script>
<script src="/vendor/graphiql/graphiql.min.js"></script>
<script src="/vendor/graphiql-explorer/index.umd.js"></script>
<script type="module" src="/ide/graphiql.js"></script>
</body>
</html>
"""
