// Clips: a range chosen on the timeline (drag across it, or the In/Out buttons at the player's time), a ratio,
// a branding and burned-in subtitles; createClips queues the render, its progress comes live from the job
// events, and a finished clip plays in a preview with its download link.
import { gql, mutate } from "./api.js";
import { clock, h, progressBar, words } from "./dom.js";
import { onJob } from "./jobs.js";

const CLIP_FIELDS = "id status startMs endMs aspectRatio durationMs url error { code message } job { id status progress stage }";
const CLIPS = `query($assetId: ID!) { clips(assetId: $assetId, first: 50) { edges { node { ${CLIP_FIELDS} } } }
  brandings(first: 50) { edges { node { id name } } } }`;
const CLIP = `query($id: ID!) { clip(id: $id) { ${CLIP_FIELDS} } }`;
const CREATE = `mutation($input: CreateClipsInput!) { createClips(input: $input) {
  clips { ${CLIP_FIELDS} } jobs { id } errors { field code message } } }`;
const RATIOS = [["", "Original"], ["16:9", "16:9 landscape"], ["9:16", "9:16 vertical"], ["1:1", "1:1 square"],
  ["4:5", "4:5 portrait"]];

function clipView(clip) {
  const bar = progressBar(`Clip ${clock(clip.startMs)}–${clock(clip.endMs)} render progress`);
  const status = h("span", { class: "status", role: "status" });
  const body = h("div", { class: "clip-body" });
  const row = h("li", { class: "clip", dataset: { clipId: clip.id } },
    h("span", { class: "range" }, `${clock(clip.startMs)}–${clock(clip.endMs)}`, clip.aspectRatio ? ` · ${clip.aspectRatio}` : ""),
    bar, status, body);
  row.update = (next) => {
    Object.assign(clip, next);
    row.dataset.status = clip.status;
    const job = clip.job;
    bar.set(clip.status === "READY" ? 100 : job ? job.progress : 0);
    status.textContent = clip.error ? `${words(clip.status)}: ${clip.error.message}` : words(clip.status);
    if (clip.status === "READY" && clip.url && !body.querySelector("video")) {
      body.replaceChildren(h("video", { controls: true, preload: "metadata", src: clip.url, class: "clip-preview",
        "aria-label": `Preview of the clip ${clock(clip.startMs)}–${clock(clip.endMs)}` }),
      h("a", { href: clip.url, download: `clip-${clip.id}.mp4`, class: "button" }, "Download clip"));
    }
  };
  row.update(clip);
  return row;
}

/** The clip panel under the player; `timeline` is the element the range is dragged across. */
export function clipsPanel(asset, player, timeline, subtitleLanguages) {
  const duration = asset.durationMs || 0;
  const range = { start: 0, end: Math.min(duration, 5000) };
  const selection = h("div", { class: "selection" });
  timeline.append(selection);
  const inField = h("input", { type: "number", step: "0.1", min: "0", id: "clip-in" });
  const outField = h("input", { type: "number", step: "0.1", min: "0", id: "clip-out" });
  const draw = () => {
    inField.value = (range.start / 1000).toFixed(1);
    outField.value = (range.end / 1000).toFixed(1);
    selection.style.left = `${(100 * range.start) / (duration || 1)}%`;
    selection.style.width = `${(100 * (range.end - range.start)) / (duration || 1)}%`;
  };
  const set = (start, end) => {
    range.start = Math.max(0, Math.min(start, end));
    range.end = Math.min(duration, Math.max(start, end));
    draw();
  };
  inField.addEventListener("change", () => set(Number(inField.value) * 1000, range.end));
  outField.addEventListener("change", () => set(range.start, Number(outField.value) * 1000));
  const at = (event) => {
    const box = timeline.getBoundingClientRect();
    return Math.round((duration * (event.clientX - box.left)) / box.width);
  };
  timeline.addEventListener("pointerdown", (event) => {
    const anchor = at(event);
    timeline.setPointerCapture(event.pointerId);
    set(anchor, anchor);
    const move = (e) => set(anchor, at(e));
    timeline.addEventListener("pointermove", move);
    timeline.addEventListener("pointerup", () => timeline.removeEventListener("pointermove", move), { once: true });
  });
  const ratio = h("select", { id: "clip-ratio" }, RATIOS.map(([value, label]) => h("option", { value }, label)));
  const branding = h("select", { id: "clip-branding" }, h("option", { value: "" }, "None"));
  const subtitles = h("select", { id: "clip-subtitles" }, h("option", { value: "" }, "None"),
    subtitleLanguages.map((language) => h("option", { value: language.id }, language.name)));
  const error = h("p", { class: "line-error", role: "alert" });
  const list = h("ul", { class: "clips", "aria-label": "Clips" });
  const rows = new Map();
  const show = (clip) => {
    if (rows.has(clip.id)) return rows.get(clip.id).update(clip);
    const row = clipView(clip);
    rows.set(clip.id, row);
    list.prepend(row);
  };
  const form = h("form", { class: "clip-form", "aria-label": "New clip" },
    h("div", { class: "row" },
      h("button", { type: "button", onclick: () => set(player.currentTime * 1000, Math.max(range.end, player.currentTime * 1000)) }, "Set in"),
      h("button", { type: "button", onclick: () => set(Math.min(range.start, player.currentTime * 1000), player.currentTime * 1000) }, "Set out"),
      h("label", { for: "clip-in" }, "In (s)"), inField, h("label", { for: "clip-out" }, "Out (s)"), outField),
    h("div", { class: "row" },
      h("label", { for: "clip-ratio" }, "Ratio"), ratio, h("label", { for: "clip-branding" }, "Branding"), branding,
      h("label", { for: "clip-subtitles" }, "Subtitles"), subtitles,
      h("button", { type: "submit", class: "primary" }, "Make clip")), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const clip = { startMs: Math.round(range.start), endMs: Math.round(range.end) };
    if (ratio.value) [clip.aspectRatioX, clip.aspectRatioY] = ratio.value.split(":").map(Number);
    if (branding.value) clip.brandingId = branding.value;
    if (subtitles.value) clip.subtitlesLanguageId = subtitles.value;
    try {
      const made = await mutate(CREATE, { input: { assetId: asset.id, clips: [clip] } }, "createClips");
      made.clips.forEach(show);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  // A render's events say which job moved; the clip (status, progress, URL) is read again through `clip`.
  const stop = onJob(async (job) => {
    if (job.kind !== "CLIP_RENDER") return;
    for (const [id, row] of rows) {
      if (row.dataset.status === "READY" || row.dataset.status === "FAILED") continue;
      const { clip } = await gql(CLIP, { id });
      if (clip) row.update(clip);
    }
  });
  gql(CLIPS, { assetId: asset.id }).then(({ clips, brandings }) => {
    brandings.edges.forEach(({ node }) => branding.append(h("option", { value: node.id }, node.name)));
    [...clips.edges].reverse().forEach(({ node }) => show(node));
  }).catch((failure) => { error.textContent = failure.message; });
  draw();
  const panel = h("section", { class: "panel clips-panel", "aria-labelledby": "clips-title" },
    h("h2", { id: "clips-title" }, "Clips"),
    h("p", { class: "hint" }, "Drag across the timeline under the player, or use Set in / Set out while it plays."),
    form, list);
  panel.dispose = stop;
  return panel;
}
