// Safe DOM building: user text goes in through textContent, .value and setAttribute on
// non-executable attributes only. There is no innerHTML anywhere in the editors.

const SVG_NS = "http://www.w3.org/2000/svg";
// Attributes that can run code or load resources are refused outright.
const UNSAFE = new Set(["src", "href", "xlink:href", "srcdoc", "action", "formaction", "style", "srcset"]);

/** Set an attribute after checking it cannot run code or fetch anything. */
export function setAttr(el, name, value) {
  const lower = String(name).toLowerCase();
  if (lower.startsWith("on") || UNSAFE.has(lower)) throw new Error(`refusing unsafe attribute ${name}`);
  if (value === true) el.setAttribute(name, "");
  else el.setAttribute(name, String(value));
}

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else if (key === "value") el.value = String(value);
    else if (key === "on") for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === "dataset") for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else setAttr(el, key, value);
  }
  return el;
}

function append(el, children) {
  for (const child of children || []) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

/** Create an HTML element: h("button", {text: name, on: {click}}, [children]). */
export function h(tag, props = {}, children = []) {
  return append(apply(document.createElement(tag), props), children);
}

/** Create an SVG element with the same safety rules. */
export function svg(tag, props = {}, children = []) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

const IMAGE_URL = /^(https?:\/\/[^\s]+|data:image\/(png|jpe?g|gif|webp);base64,[A-Za-z0-9+/=]+)$/i;

/** An avatar: an <img> for http(s) or raster data URIs, otherwise the text itself (emoji). */
export function avatar(value, label) {
  const text = (value || "").trim();
  if (IMAGE_URL.test(text)) {
    const img = h("img", { class: "cjm-avatar", alt: label || "", referrerpolicy: "no-referrer" });
    img.src = text; // checked above: only http(s) and raster data URIs
    return img;
  }
  return h("span", { class: "cjm-avatar", "aria-hidden": "true", text: text || "👤" });
}
