// Starts GraphiQL (UMD globals React, ReactDOM, GraphiQL, GraphiQLPluginExplorer) with a fetcher that speaks
// HTTP for queries and mutations and graphql-transport-ws for subscriptions, sending the headers the user typed
// (e.g. {"Authorization": "Bearer <key>"}) on both: as request headers and as the connection_init payload.
import { createClient } from "/vendor/graphql-ws/client.js";

const { GraphQL } = window.GraphiQL;
const root = document.getElementById("graphiql");
const endpoint = root.dataset.endpoint;
const wsUrl = new URL(endpoint, location.href);
wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";

let socket = null;
let socketHeaders = null;

function wsClient(headers) {
  // One socket per set of headers: a changed key opens a new connection with the new connection_init payload.
  const signature = JSON.stringify(headers);
  if (socket && socketHeaders === signature) return socket;
  if (socket) socket.dispose();
  socketHeaders = signature;
  socket = createClient({ url: wsUrl.href, connectionParams: () => headers, lazy: true, retryAttempts: 3 });
  return socket;
}

function isSubscription(params) {
  try {
    const operation = GraphQL.getOperationAST(GraphQL.parse(params.query), params.operationName || undefined);
    return operation?.operation === "subscription";
  } catch {
    return false;
  }
}

async function fetcher(params, options = {}) {
  const headers = options.headers || {};
  if (isSubscription(params)) {
    return wsClient(headers).iterate({ query: params.query, variables: params.variables,
      operationName: params.operationName });
  }
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(params),
  });
  return response.json();
}

// GraphiQL 3 saves its tabs and history (each with its headers editor's text) in localStorage, whatever
// shouldPersistHeaders says: everything it saves goes through this storage, which drops every "headers" value
// first, so the key typed into the headers editor stays in memory.
function withoutHeaders(value) {
  if (Array.isArray(value)) return value.map(withoutHeaders);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "headers" ? null : withoutHeaders(v)]));
  }
  return value;
}

const storage = {
  getItem: (key) => localStorage.getItem(key),
  setItem: (key, value) => {
    if (key.endsWith(":headers")) return; // the headers editor's own text is never saved
    let kept = value;
    try {
      kept = JSON.stringify(withoutHeaders(JSON.parse(value)));
    } catch {
      // not JSON (a plain string setting): nothing to strip
    }
    localStorage.setItem(key, kept);
  },
  removeItem: (key) => localStorage.removeItem(key),
  clear: () => localStorage.clear(),
  get length() { return localStorage.length; },
};

const plugins = [window.GraphiQLPluginExplorer.explorerPlugin()];
root.textContent = "";
ReactDOM.createRoot(root).render(React.createElement(window.GraphiQL, {
  fetcher,
  plugins,
  storage,
  defaultQuery: "# Put your API key in Headers below, press the \u21bb button (re-fetch the schema) on the left,\n"
    + "# then run a query with \u25b6 or Ctrl-Enter:\n\n{\n  me {\n    name\n    tenantId\n  }\n}\n",
  shouldPersistHeaders: false,
  defaultHeaders: '{\n  "Authorization": "Bearer <your API key>"\n}',
  defaultEditorToolsVisibility: "headers",
  isHeadersEditorEnabled: true,
}));
