// Small DOM helpers: elements from tag, attributes and children (text is always set as text, never as HTML).

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A progress bar with its value for assistive technology (role="progressbar", aria-valuenow). */
export function progressBar(label, value = 0) {
  const fill = h("span", { class: "fill" });
  const bar = h("div", { class: "progress", role: "progressbar", "aria-label": label, "aria-valuemin": "0",
    "aria-valuemax": "100" }, fill);
  bar.set = (percent) => {
    const clamped = Math.max(0, Math.min(100, Math.round(percent)));
    bar.setAttribute("aria-valuenow", String(clamped));
    fill.style.width = `${clamped}%`;
  };
  bar.set(value);
  return bar;
}

/** m:ss.t (or h:mm:ss.t) from milliseconds. */
export function clock(ms) {
  const total = Math.max(0, ms) / 1000;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = (total % 60).toFixed(1).padStart(4, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

export function words(enumValue) {
  return String(enumValue || "").toLowerCase().replaceAll("_", " ");
}

/** Offers bytes or text as a file download (a same-origin blob: URL). */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
