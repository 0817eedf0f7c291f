// The console's shell: sign-in, the header's search box, and the two views (#/ home, #/asset/<id>?t=<seconds>).
import { ApiError, gql, session } from "./api.js";
import { assetPage } from "./asset.js";
import { clock, h, words } from "./dom.js";
import { jobsPanel } from "./jobs.js";
import { uploadPanel } from "./upload.js";

const ME = "query { me { name tenantId } }";
const ASSETS = `query { assets(first: 50) { edges { node { id filename status durationMs createdAt thumbnail { url } } } } }`;
const SEARCH = `query($query: String!) { search(query: $query, maxResults: 10) { assetId startMs endMs text source } }`;

const main = document.getElementById("main");
const header = document.getElementById("account");
const searchForm = document.getElementById("search");
let jobs = null;
let dispose = () => {};

function signInView(message) {
  const key = h("input", { type: "password", id: "api-key", autocomplete: "off", spellcheck: false, required: true });
  const error = h("p", { class: "line-error", role: "alert" }, message || "");
  const form = h("form", { class: "panel sign-in" }, h("h1", { tabindex: "-1" }, "Sign in"),
    h("p", {}, "Use an API key of your tenant (", h("code", {}, "python app.py create-api-key --tenant NAME"),
      "). It is kept in this tab only."),
    h("label", { for: "api-key" }, "API key"), key, h("button", { type: "submit", class: "primary" }, "Sign in"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    session.signIn(key.value.trim());
    try {
      await gql(ME);
      start();
    } catch (failure) {
      session.signOut();
      error.textContent = failure instanceof ApiError ? "That key was not accepted." : failure.message;
    }
  });
  main.replaceChildren(form);
  header.replaceChildren();
  searchForm.hidden = true;
  key.focus();
}

async function assetList() {
  const list = h("ul", { class: "assets", "aria-label": "Assets" });
  const { assets } = await gql(ASSETS);
  list.replaceChildren(...assets.edges.map(({ node }) => h("li", {}, h("a", { href: `#/asset/${node.id}` },
    node.thumbnail ? h("img", { src: node.thumbnail.url, alt: "" }) : h("span", { class: "no-thumb" }),
    h("span", { class: "name" }, node.filename),
    h("span", { class: "meta" }, `${words(node.status)}${node.durationMs ? ` · ${clock(node.durationMs)}` : ""}`)))));
  if (!assets.edges.length) list.append(h("li", { class: "hint" }, "Nothing uploaded yet."));
  return list;
}

async function home() {
  const assets = h("section", { class: "panel", "aria-labelledby": "assets-title" }, h("h2", { id: "assets-title" }, "Assets"));
  const refresh = () => assetList().then((list) => assets.replaceChildren(assets.firstChild, list));
  main.replaceChildren(h("h1", { class: "sr-only", tabindex: "-1" }, "Mediagraph console"),
    h("div", { class: "home-grid" }, h("div", {}, uploadPanel(refresh), assets), jobs));
  await refresh();
  return () => {};
}

async function route() {
  dispose();
  dispose = () => {};
  if (!session.key) return signInView();
  const match = location.hash.match(/^#\/asset\/([^?]+)(?:\?t=([\d.]+))?/);
  try {
    if (match) {
      const page = h("div", { class: "asset-page" });
      main.replaceChildren(page, h("aside", { class: "side" }, jobs));
      dispose = await assetPage(page, decodeURIComponent(match[1]), match[2] ? Number(match[2]) : 0);
    } else {
      dispose = await home();
    }
  } catch (failure) {
    if (failure instanceof ApiError && /API key|NOT_AUTHORIZED|401/i.test(failure.message)) return signInView("Please sign in again.");
    main.replaceChildren(h("p", { class: "line-error", role: "alert" }, failure.message));
  }
}

async function search(query) {
  const results = h("section", { class: "panel search-results", "aria-labelledby": "search-title" },
    h("h2", { id: "search-title", tabindex: "-1" }, `Search: ${query}`));
  main.replaceChildren(results);
  try {
    const hits = (await gql(SEARCH, { query })).search;
    results.append(hits.length ? h("ol", { class: "hits" }, hits.map((hit) => h("li", {},
      h("a", { href: `#/asset/${hit.assetId}?t=${(hit.startMs / 1000).toFixed(1)}` }, clock(hit.startMs)),
      h("span", { class: "hint" }, ` ${words(hit.source)} `), hit.text))) : h("p", { class: "hint" }, "No moment matches."));
  } catch (failure) {
    results.append(h("p", { class: "line-error", role: "alert" }, failure.message));
  }
  results.querySelector("h2").focus();
}

function start() {
  jobs = jobs || jobsPanel();
  searchForm.hidden = false;
  header.replaceChildren(h("button", { type: "button", onclick: () => { session.signOut(); jobs = null; location.hash = "#/"; signInView(); } },
    "Sign out"));
  gql(ME).then(({ me }) => header.prepend(h("span", { class: "tenant" }, me.name))).catch(() => {});
  route();
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = searchForm.elements.q.value.trim();
  if (query) search(query);
});
window.addEventListener("hashchange", route);
if (session.key) start();
else signInView();
