// The live job list: the tenant's recent jobs, then every event of every job over the `jobEvents` subscription
// (graphql-transport-ws). The socket reconnects by itself and resumes after the last event's `sequence`: the server
// replays what was missed, in order, nothing twice (graphql-ws re-sends the same payload object on a reconnect, so
// the cursor kept in its variables is the one it sends).
import { gql, onConnection, subscribe } from "./api.js";
import { h, progressBar, words } from "./dom.js";

export const JOB_FIELDS = "id kind status stage progress createdAt error { code message } asset { id filename }";
const RECENT = `query { jobs(first: 30) { edges { node { ${JOB_FIELDS} } } } }`;
const EVENTS = `subscription($after: Int) { jobEvents(after: $after) { sequence ${JOB_FIELDS} } }`;
const FINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export function isFinal(job) {
  return FINAL.has(job.status);
}

/** Every job event of the tenant, to whoever listens (the job list, the asset page, the clip panel). */
const listeners = new Set();
export function onJob(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function jobsPanel() {
  const rows = new Map();
  const list = h("ul", { class: "jobs", "aria-label": "Jobs", "aria-live": "polite", "aria-relevant": "additions" });
  const badge = h("span", { class: "connection", role: "status" }, "connecting");
  const empty = h("p", { class: "hint" }, "No jobs yet: upload a recording to start.");

  const render = (job) => {
    let row = rows.get(job.id);
    if (!row) {
      const bar = progressBar(`${words(job.kind)} progress`);
      const asset = job.asset ? h("a", { href: `#/asset/${job.asset.id}` }, job.asset.filename) : "";
      row = h("li", { class: "job", dataset: { jobId: job.id } },
        h("span", { class: "kind" }, words(job.kind)), h("span", { class: "asset" }, asset),
        h("span", { class: "stage" }), bar, h("span", { class: "error" }));
      row.bar = bar;
      rows.set(job.id, row);
      list.prepend(row);
      empty.hidden = true;
    }
    row.dataset.status = job.status;
    row.querySelector(".stage").textContent = job.stage && !isFinal(job) ? `${words(job.status)}: ${job.stage}`
      : words(job.status);
    row.bar.set(job.status === "COMPLETED" ? 100 : job.progress);
    row.querySelector(".error").textContent = job.error ? `${job.error.message} (${words(job.error.code)})` : "";
  };

  const load = async () => {
    const { jobs } = await gql(RECENT);
    for (const edge of [...jobs.edges].reverse()) render(edge.node);
  };
  load().catch((error) => { badge.textContent = error.message; });
  let connectedOnce = false;
  onConnection((state) => {
    badge.textContent = state === "connected" ? "live" : state === "connecting" ? "connecting" : "reconnecting";
    badge.dataset.state = state;
    // The subscription replays what the socket missed; the list is read again too, for jobs older than the log.
    if (state === "connected" && connectedOnce) load().catch(() => {});
    if (state === "connected") connectedOnce = true;
  });
  const follow = (cursor) => subscribe(EVENTS, cursor, (data) => {
    if (data.jobEvents.sequence != null) cursor.after = data.jobEvents.sequence;
    render(data.jobEvents);
    listeners.forEach((listener) => listener(data.jobEvents));
  }, (error) => {
    // Away longer than the server keeps events: read the list afresh and follow from now on.
    if (error.errors?.some((e) => e.extensions?.code === "CURSOR_EXPIRED")) {
      load().catch(() => {});
      follow({ after: null });
      return;
    }
    badge.textContent = `live updates failed: ${error.message}`;
  });
  follow({ after: null });

  return h("section", { class: "panel", "aria-labelledby": "jobs-title" },
    h("div", { class: "panel-head" }, h("h2", { id: "jobs-title" }, "Jobs"), badge), empty, list);
}

