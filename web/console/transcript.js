// The transcript beside the player, synced both ways: the line being spoken is highlighted while the media plays,
// and a click on a line seeks the player. Lines' text and times and speakers' names are edited in place through
// updateSegment and updateSpeaker; an error shows next to the line or speaker it belongs to.
import { mutate } from "./api.js";
import { clock, h } from "./dom.js";

const UPDATE_SEGMENT = `mutation($input: UpdateSegmentInput!) { updateSegment(input: $input) {
  segment { id startMs endMs text speaker { id name label } } errors { field code message } } }`;
const UPDATE_SPEAKER = `mutation($input: UpdateSpeakerInput!) { updateSpeaker(input: $input) {
  speaker { id name label } errors { field code message } } }`;

function seconds(ms) {
  return (ms / 1000).toFixed(2);
}

function lineView(segment, transcription, player, refresh) {
  const error = h("p", { class: "line-error", role: "alert" });
  const speaker = segment.speaker ? h("span", { class: "speaker" }, segment.speaker.name) : "";
  const seek = h("button", { type: "button", class: "seek", "aria-label": `Play from ${clock(segment.startMs)}`,
    onclick: () => { player.currentTime = segment.startMs / 1000; player.play().catch(() => {}); } },
  h("span", { class: "time" }, clock(segment.startMs)), speaker, h("span", { class: "text" }, segment.text));
  const edit = h("button", { type: "button", class: "edit", "aria-label": `Edit line at ${clock(segment.startMs)}`,
    onclick: () => editing(true) }, "Edit");
  const text = h("textarea", { "aria-label": "Line text", rows: 2 }, segment.text);
  const start = h("input", { type: "number", step: "0.01", min: "0", "aria-label": "Start (seconds)",
    value: seconds(segment.startMs) });
  const end = h("input", { type: "number", step: "0.01", min: "0", "aria-label": "End (seconds)",
    value: seconds(segment.endMs) });
  const form = h("form", { class: "line-form", hidden: true },
    text, h("div", { class: "times" }, h("label", {}, "Start ", start), h("label", {}, "End ", end),
      h("button", { type: "submit" }, "Save"), h("button", { type: "button", onclick: () => editing(false) }, "Cancel")));
  const row = h("li", { class: "line", dataset: { start: segment.startMs, end: segment.endMs, id: segment.id } },
    seek, edit, form, error);

  function editing(on) {
    form.hidden = !on;
    seek.hidden = on;
    edit.hidden = on;
    if (on) text.focus();
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const patch = { id: segment.id, text: text.value, startMs: Math.round(Number(start.value) * 1000),
      endMs: Math.round(Number(end.value) * 1000) };
    try {
      const saved = await mutate(UPDATE_SEGMENT, { input: { transcriptionId: transcription.id,
        assetId: transcription.assetId, segment: patch } }, "updateSegment");
      Object.assign(segment, saved.segment);
      refresh();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  return row;
}

export function speakersView(assetId, speakers, onRenamed) {
  return h("ul", { class: "speakers", "aria-label": "Speakers" }, speakers.map((speaker) => {
    const name = h("input", { type: "text", value: speaker.name, "aria-label": `Name of ${speaker.label}` });
    const error = h("span", { class: "line-error", role: "alert" });
    const form = h("form", { class: "speaker-form" }, h("span", { class: "label" }, speaker.label), name,
      h("button", { type: "submit" }, "Rename"), error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await mutate(UPDATE_SPEAKER, { input: { assetId, id: speaker.id, name: name.value } }, "updateSpeaker");
        onRenamed();
      } catch (failure) {
        error.textContent = failure.message;
      }
    });
    return h("li", {}, form);
  }));
}

/** The transcript list for one transcription, following `player`. */
export function transcriptView(transcription, player, refresh) {
  const list = h("ol", { class: "transcript", "aria-label": `Transcript (${transcription.language})` });
  const redraw = () => {
    list.replaceChildren(...transcription.segments.map((segment) => lineView(segment, transcription, player, redraw)));
    follow();
  };
  let current = null;
  const follow = () => {
    const ms = player.currentTime * 1000;
    const line = [...list.children].find((li) => ms >= Number(li.dataset.start) && ms < Number(li.dataset.end));
    if (line === current) return;
    current?.classList.remove("current");
    current?.removeAttribute("aria-current");
    current = line || null;
    if (current) {
      current.classList.add("current");
      current.setAttribute("aria-current", "true");
      if (!player.paused) current.scrollIntoView({ block: "nearest" });
    }
  };
  player.addEventListener("timeupdate", follow);
  player.addEventListener("seeked", follow);
  redraw();
  list.refresh = refresh;
  return list;
}
