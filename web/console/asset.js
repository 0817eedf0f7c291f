// The asset page: the player with its waveform and shot strip, the transcript beside it, subtitle downloads,
// translation and voice-over, the analysis, and clips. It reloads itself when one of the asset's jobs ends.
import { ApiError, gql, mutate } from "./api.js";
import { clipsPanel } from "./clips.js";
import { clock, download, h, words } from "./dom.js";
import { isFinal, onJob } from "./jobs.js";
import { speakersView, transcriptView } from "./transcript.js";

const ASSET = `query($id: ID!) { asset(id: $id) {
  id filename status durationMs
  original { url contentType } thumbnail { url } waveform { url contentType }
  media { width height }
  speakers { id name label }
  transcriptions { id language source status assetId segments { id startMs endMs text speaker { id name label } } }
  analysis { summary topics sentiment ocr entities classification
    scenes { index startMs endMs thumbnail { url } } faces { trackId crop { url } instances { startMs } } } }
  languages { id code name translation voiceOver transcription } }`;
const SUBTITLES = `query($id: ID!, $format: SubtitleFormat!) { transcription(id: $id) { subtitles(format: $format) } }`;
const TRANSLATE = `mutation($input: TranslateInput!) { translate(input: $input) { job { id } errors { field code message } } }`;
const VOICE_OVER = `mutation($input: VoiceOverInput!) { voiceOver(input: $input) { job { id } errors { field code message } } }`;

const FORMATS = [["SRT", "srt", "application/x-subrip"], ["VTT", "vtt", "text/vtt"], ["STL", "stl", "application/octet-stream"]];

function downloads(transcription, basename) {
  const error = h("p", { class: "line-error", role: "alert" });
  const buttons = FORMATS.map(([format, extension, type]) => h("button", { type: "button", onclick: async () => {
    error.textContent = "";
    try {
      const { transcription: t } = await gql(SUBTITLES, { id: transcription.id, format });
      // EBU-STL is binary: the API gives it base64-encoded.
      const content = format === "STL" ? Uint8Array.from(atob(t.subtitles), (c) => c.charCodeAt(0)) : t.subtitles;
      download(`${basename}.${transcription.language}.${extension}`, content, type);
    } catch (failure) {
      error.textContent = failure.message;
    }
  } }, `Download ${format}`));
  return h("div", { class: "downloads", role: "group", "aria-label": "Download subtitles" }, buttons, error);
}

function languageAction(label, id, languages, run) {
  const select = h("select", { id }, languages.map((l) => h("option", { value: l.id }, `${l.name} (${l.code})`)));
  const status = h("span", { class: "status", role: "status" });
  const form = h("form", { class: "action" }, h("label", { for: id }, `${label} to`), select,
    h("button", { type: "submit" }, label), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "queueing";
    try {
      await run(select.value);
      status.textContent = "queued: follow it in Jobs";
    } catch (failure) {
      status.textContent = failure.message;
    }
  });
  return form;
}

function listOf(value, pick) {
  return (Array.isArray(value) ? value : value ? [value] : []).map((item) => (typeof item === "string" ? item : pick(item)))
    .filter(Boolean);
}

function analysisPanel(analysis, player) {
  if (!analysis) return h("p", { class: "hint" }, "No analysis yet: it runs after the transcription.");
  const seek = (ms) => () => { player.currentTime = ms / 1000; };
  const sentiment = analysis.sentiment && typeof analysis.sentiment === "object"
    ? Object.entries(analysis.sentiment).filter(([, v]) => v === null || typeof v !== "object")
      .map(([k, v]) => `${k}: ${typeof v === "number" ? v.toFixed(2) : v}`).join(", ")
    : analysis.sentiment;
  const topics = listOf(analysis.topics, (t) => t.label || t.name || t.topic || t.text);
  const ocr = listOf(analysis.ocr, (o) => o.text);
  return h("div", { class: "analysis" },
    analysis.summary ? h("p", { class: "summary" }, analysis.summary) : "",
    h("h3", {}, "Shots"),
    h("ul", { class: "shots" }, analysis.scenes.map((scene) => h("li", {}, h("button", { type: "button",
      onclick: seek(scene.startMs), "aria-label": `Shot ${scene.index + 1} at ${clock(scene.startMs)}` },
    scene.thumbnail ? h("img", { src: scene.thumbnail.url, alt: "" }) : "", h("span", {}, clock(scene.startMs)))))),
    h("h3", {}, "Faces"),
    analysis.faces.length ? h("ul", { class: "faces" }, analysis.faces.map((face) => h("li", {},
      face.crop ? h("img", { src: face.crop.url, alt: `Face ${face.trackId}` }) : `Face ${face.trackId}`,
      h("span", {}, `${face.instances.length} sighting(s)`)))) : h("p", { class: "hint" }, "No faces found."),
    h("h3", {}, "On-screen text"), ocr.length ? h("ul", { class: "tags" }, ocr.map((t) => h("li", {}, t)))
      : h("p", { class: "hint" }, "None found."),
    h("h3", {}, "Topics"), topics.length ? h("ul", { class: "tags" }, topics.map((t) => h("li", {}, t)))
      : h("p", { class: "hint" }, "None found."),
    h("h3", {}, "Sentiment"), h("p", {}, sentiment || "Not measured."),
    analysis.entities?.length ? [h("h3", {}, "Entities"), h("ul", { class: "tags" }, analysis.entities.map((e) => h("li", {}, e)))] : "");
}

/** Renders the asset into `root`; `startAt` (seconds) seeks the player once it can play. Returns a disposer. */
export async function assetPage(root, id, startAt) {
  // Renders of one page overlap (a job ends while a rename reloads): only the newest one draws.
  const mine = root.renders = (root.renders || 0) + 1;
  let asset = null;
  let languages = [];
  try {
    ({ asset, languages } = await gql(ASSET, { id }));
  } catch (failure) {
    // Another tenant's id, or one that never existed: NOT_FOUND, shown as such.
    if (!(failure instanceof ApiError && failure.errors.some((e) => e.extensions?.code === "NOT_FOUND"))) throw failure;
  }
  if (mine !== root.renders) return () => {};
  if (!asset) {
    root.replaceChildren(h("h1", { tabindex: "-1" }, "Not found"), h("p", {}, "This asset does not exist."));
    return () => {};
  }
  const video = asset.media?.width || asset.original?.contentType?.startsWith("video/");
  const player = h(video ? "video" : "audio", { controls: true, preload: "metadata", class: "player",
    src: asset.original?.url, "aria-label": `Player: ${asset.filename}` });
  if (startAt) player.addEventListener("loadedmetadata", () => { player.currentTime = startAt; }, { once: true });
  const timeline = h("div", { class: "timeline", role: "group", "aria-label": "Timeline: drag to choose a clip range" },
    asset.waveform ? h("img", { class: "waveform", src: asset.waveform.url, alt: "" }) : "",
    h("div", { class: "strip" }, (asset.analysis?.scenes || []).map((scene) => scene.thumbnail
      ? h("img", { src: scene.thumbnail.url, alt: "", style: `flex-grow:${scene.endMs - scene.startMs}` }) : "")));
  const cursor = h("div", { class: "cursor" });
  timeline.append(cursor);
  player.addEventListener("timeupdate", () => {
    cursor.style.left = `${(100 * player.currentTime * 1000) / (asset.durationMs || 1)}%`;
  });

  const reload = () => assetPage(root, id, player.currentTime).then((dispose) => { disposer = dispose; });
  const transcriptions = asset.transcriptions;
  const picker = h("select", { id: "transcript-pick" }, transcriptions.map((t, i) => h("option", { value: i },
    `${t.language} · ${words(t.source)}`)));
  const transcriptBox = h("div", { class: "transcript-box" });
  const showTranscript = () => {
    const t = transcriptions[Number(picker.value || 0)];
    transcriptBox.replaceChildren(t ? transcriptView(t, player, reload) : h("p", { class: "hint" },
      asset.status === "READY" ? "No transcript: the recording has no speech." : "The transcript appears here when it is ready."),
    t ? downloads(t, asset.filename.replace(/\.[^.]+$/, "")) : "");
  };
  picker.addEventListener("change", showTranscript);
  showTranscript();

  const subtitleLanguages = languages.filter((l) => asset.transcriptions.some((t) => t.language === l.code));
  const clips = clipsPanel(asset, player, timeline, subtitleLanguages);
  const translateTo = languages.filter((l) => l.translation);
  const voiceTo = languages.filter((l) => l.voiceOver);
  root.replaceChildren(
    h("div", { class: "asset-head" }, h("h1", { tabindex: "-1" }, asset.filename),
      h("span", { class: "badge", dataset: { status: asset.status } }, words(asset.status)),
      asset.durationMs ? h("span", { class: "hint" }, clock(asset.durationMs)) : ""),
    h("div", { class: "asset-grid" },
      h("section", { class: "panel media", "aria-label": "Player" }, player, timeline),
      h("section", { class: "panel", "aria-labelledby": "transcript-title" },
        h("div", { class: "panel-head" }, h("h2", { id: "transcript-title" }, "Transcript"),
          transcriptions.length > 1 ? [h("label", { for: "transcript-pick", class: "sr-only" }, "Transcript shown"), picker] : ""),
        transcriptBox,
        asset.speakers.length ? [h("h3", {}, "Speakers"), speakersView(asset.id, asset.speakers, reload)] : "")),
    h("div", { class: "asset-grid" },
      h("section", { class: "panel", "aria-labelledby": "languages-title" }, h("h2", { id: "languages-title" }, "Languages"),
        translateTo.length ? languageAction("Translate", "translate-to", translateTo, (languageId) =>
          mutate(TRANSLATE, { input: { assetId: asset.id, languageIds: [languageId] } }, "translate"))
          : h("p", { class: "hint" }, "No translation provider is configured."),
        voiceTo.length ? languageAction("Voice-over", "voice-to", voiceTo, (languageId) =>
          mutate(VOICE_OVER, { input: { assetId: asset.id, languageIds: [languageId] } }, "voiceOver"))
          : h("p", { class: "hint" }, "No voice-over provider is configured.")),
      h("section", { class: "panel", "aria-labelledby": "analysis-title" }, h("h2", { id: "analysis-title" }, "Analysis"),
        analysisPanel(asset.analysis, player))),
    clips);
  root.querySelector("h1").focus();

  // A finished job of this asset (probe, transcription, translation, analysis) changes what the page shows. While a
  // field of one of its forms has the focus, the redraw waits until the focus leaves the forms: what is being typed
  // (a line's text, a speaker's name) is never thrown away by a job that happened to end meanwhile.
  let disposer = null;
  let deferred = false;
  const watching = new AbortController();
  const inForm = (element) => Boolean(element && root.contains(element) && element.closest("form"));
  const redraw = () => {
    stop();
    watching.abort();
    clips.dispose();
    reload();
  };
  root.addEventListener("focusout", (event) => {
    if (deferred && !inForm(event.relatedTarget)) {
      deferred = false;
      redraw();
    }
  }, { signal: watching.signal });
  const stop = onJob((job) => {
    if (job.asset?.id === asset.id && isFinal(job) && job.kind !== "CLIP_RENDER") {
      if (inForm(document.activeElement)) {
        deferred = true;
        return;
      }
      redraw();
    }
  });
  return () => {
    stop();
    watching.abort();
    clips.dispose();
    disposer?.();
  };
}
