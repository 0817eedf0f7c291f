// The console's only way to the server: the public GraphQL API over HTTP (queries, mutations) and
// graphql-transport-ws (subscriptions), like any other client. The API key lives in sessionStorage only and
// travels in the Authorization header and the socket's connection_init payload, never in a URL or a log.
import { createClient } from "/vendor/graphql-ws/client.js";

const KEY = "mediagraph.apiKey";
const ENDPOINT = "/graphql";
let socket = null;
const listeners = new Set();

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  signIn(key) { sessionStorage.setItem(KEY, key); },
  signOut() {
    sessionStorage.removeItem(KEY);
    if (socket) socket.dispose();
    socket = null;
  },
};

/** A GraphQL error, or the `errors` of a mutation's payload: `messages` in words, `fields` the inputs they name. */
export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
}

export async function gql(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json",
      authorization: `Bearer ${session.key}` },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `the server answered ${response.status}` }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  if (!response.ok) throw new ApiError([{ message: body.error?.message || `the server answered ${response.status}` }]);
  return body.data;
}

/** Runs a mutation and returns its payload; the payload's `errors` (UserError) are thrown as an ApiError. */
export async function mutate(query, variables, field) {
  const payload = (await gql(query, variables))[field];
  if (payload.errors?.length) throw new ApiError(payload.errors);
  return payload;
}

/** Connection state changes of the socket ("connecting", "connected", "closed"), for the status badge. */
export function onConnection(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function client() {
  if (socket) return socket;
  const url = new URL(ENDPOINT, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const emit = (state) => listeners.forEach((listener) => listener(state));
  // Reconnects by itself, forever, with graphql-ws's randomised exponential backoff; live subscriptions are
  // subscribed again on the new connection.
  socket = createClient({
    url: url.href,
    connectionParams: () => ({ Authorization: `Bearer ${session.key}` }),
    retryAttempts: Infinity,
    shouldRetry: () => true,
    keepAlive: 20000,
    on: { connecting: () => emit("connecting"), connected: () => emit("connected"), closed: () => emit("closed") },
  });
  return socket;
}

/** Subscribes; `onData` gets each result's data. Returns a function that unsubscribes. */
export function subscribe(query, variables, onData, onError = () => {}) {
  return client().subscribe({ query, variables }, {
    next: (result) => (result.errors ? onError(new ApiError(result.errors)) : onData(result.data)),
    error: (error) => onError(error instanceof Error ? error : new ApiError([{ message: String(error?.reason || error) }])),
    complete: () => {},
  });
}
