// Uploads: createAsset, startUpload (one signed URL per part), the parts PUT in parallel with a progress bar per
// file, finishUpload with the parts' ETags. A part that fails is retried; if it still fails the upload stops with
// a "Resume" button that sends only the parts not yet stored (the signed URLs stay valid until expiresAt).
import { mutate } from "./api.js";
import { h, progressBar } from "./dom.js";

const PART_BYTES = 8 * 1024 * 1024; // over S3's 5 MiB minimum part size
const PARALLEL = 4;
const ATTEMPTS = 3;

const CREATE = `mutation($input: CreateAssetInput!) { createAsset(input: $input) {
  asset { id filename } errors { field code message } } }`;
const START = `mutation($input: StartUploadInput!) { startUpload(input: $input) {
  uploadId expiresAt parts { partNumber url } errors { field code message } } }`;
const FINISH = `mutation($input: FinishUploadInput!) { finishUpload(input: $input) {
  asset { id status } job { id kind status } errors { field code message } } }`;

function put(url, blob, onProgress) {
  // XMLHttpRequest, not fetch: only it reports upload progress.
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      const etag = request.getResponseHeader("ETag");
      if (request.status >= 200 && request.status < 300 && etag) resolve(etag);
      else reject(new Error(`part refused (${request.status})`));
    };
    request.onerror = () => reject(new Error("network error"));
    request.send(blob);
  });
}

class Upload {
  constructor(file, list, onDone) {
    this.file = file;
    this.onDone = onDone;
    this.etags = [];
    this.sent = [];
    this.bar = progressBar(`Upload of ${file.name}`);
    this.status = h("span", { class: "status", role: "status" }, "starting");
    this.resume = h("button", { type: "button", hidden: true, onclick: () => this.run() }, "Resume");
    this.row = h("li", { class: "upload" }, h("span", { class: "name" }, file.name), this.bar, this.status, this.resume);
    list.append(this.row);
  }

  async start() {
    const parts = Math.max(1, Math.ceil(this.file.size / PART_BYTES));
    const { asset } = await mutate(CREATE, { input: { filename: this.file.name } }, "createAsset");
    this.asset = asset;
    const started = await mutate(START, { input: { assetId: asset.id, parts, size: this.file.size } }, "startUpload");
    this.parts = started.parts;
    this.sent = this.parts.map(() => 0);
    await this.run();
  }

  async run() {
    this.resume.hidden = true;
    this.setStatus("uploading");
    const pending = this.parts.filter((part) => !this.etags[part.partNumber - 1]);
    const failures = [];
    const worker = async () => {
      while (pending.length) {
        const part = pending.shift();
        try {
          await this.send(part);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    if (failures.length) {
      this.setStatus(`${failures.length} part(s) failed: ${failures[0].message}`, true);
      this.resume.hidden = false;
      return;
    }
    this.setStatus("finishing");
    const finished = await mutate(FINISH, { input: { assetId: this.asset.id, etags: this.etags } }, "finishUpload");
    this.bar.set(100);
    this.setStatus("uploaded: processing");
    this.onDone(finished.asset);
  }

  async send(part) {
    const index = part.partNumber - 1;
    const blob = this.file.slice(index * PART_BYTES, Math.min(this.file.size, (index + 1) * PART_BYTES));
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.etags[index] = await put(part.url, blob, (loaded) => this.progress(index, loaded));
        this.progress(index, blob.size);
        return;
      } catch (error) {
        this.progress(index, 0);
        if (attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  progress(index, loaded) {
    this.sent[index] = loaded;
    const sent = this.sent.reduce((a, b) => a + b, 0);
    // The last percent is finishUpload's.
    this.bar.set(this.file.size ? (99 * sent) / this.file.size : 99);
  }

  setStatus(text, failed = false) {
    this.status.textContent = text;
    this.row.classList.toggle("failed", failed);
  }
}

/** The upload panel: a file input labelled "Upload media" and a drop zone. */
export function uploadPanel(onUploaded) {
  const list = h("ul", { class: "uploads", "aria-label": "Uploads" });
  const begin = (files) => {
    for (const file of files) {
      const upload = new Upload(file, list, onUploaded);
      upload.start().catch((error) => upload.setStatus(error.message, true));
    }
  };
  const input = h("input", { type: "file", id: "upload-input", multiple: true, accept: "video/*,audio/*",
    onchange: () => { begin([...input.files]); input.value = ""; } });
  const zone = h("div", { class: "dropzone" },
    h("label", { for: "upload-input" }, "Upload media"), input,
    h("p", { class: "hint" }, "or drop audio and video files here"));
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    begin([...event.dataTransfer.files]);
  });
  return h("section", { class: "panel", "aria-labelledby": "upload-title" },
    h("h2", { id: "upload-title" }, "Upload"), zone, list);
}
