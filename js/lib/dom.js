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
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
// The avatar's font stack (persona_editor.css, .cjm-emoji): colour emoji fonts first, so an
// emoji with a plain-text look-alike (☺, ✈) is drawn from the colour font when there is one.
const EMOJI_FONTS = '"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif';
const drawable = new Map(); // avatar text -> whether this page draws it (its fonts do not change)

/** "CC" for "Curious Colleen", "P" for "Penny": first letters of the first and last word. */
export function initials(name) {
  const words = String(name ?? "").trim().split(/\s+/).filter(Boolean);
  const picked = words.length > 1 ? [words[0], words.at(-1)] : words;
  return picked.map((w) => Array.from(w)[0]).join("").toUpperCase() || "?";
}

function pixels(text, fill) {
  const size = 40;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const g = canvas.getContext("2d", { willReadFrequently: true });
  if (!g) return null;
  g.font = `32px ${EMOJI_FONTS}`;
  g.textBaseline = "top";
  g.fillStyle = fill;
  g.fillText(text, 0, 0);
  return g.getImageData(0, 0, size, size).data;
}

/**
 * Whether this browser draws `text` as an avatar. Text with an emoji must come out of a colour
 * font: a colour glyph ignores the fill colour, while a missing glyph's box (or a plain-text
 * look-alike) takes it, so drawing in red and in blue gives the same pixels only for a colour
 * emoji. Other text must draw something (a default-ignorable code point draws nothing).
 * Without a canvas (no 2D context) the text is trusted.
 */
export function canDraw(text) {
  if (!drawable.has(text)) {
    let ok = true;
    try {
      const red = pixels(text, "#ff0000");
      if (red) {
        const drawn = red.some((v, i) => i % 4 === 3 && v > 0);
        if (!drawn) ok = false;
        else if (PICTOGRAPH.test(text)) {
          const blue = pixels(text, "#0000ff");
          ok = red.every((v, i) => v === blue[i]);
        }
      }
    } catch { ok = true; } // a canvas that cannot be read: show the text as typed
    drawable.set(text, ok);
  }
  return drawable.get(text);
}

function initialsBadge(label) {
  return h("span", { class: "cjm-avatar cjm-initials", "aria-hidden": "true", text: initials(label) });
}

/**
 * An avatar: an <img> for http(s) or raster data URIs, otherwise the text itself (emoji). The
 * persona's initials stand in when there is no avatar, the image does not load (offline) or the
 * browser has no font that draws the emoji (e.g. Debian chromium without a colour emoji font).
 */
export function avatar(value, label) {
  const text = (value || "").trim();
  if (IMAGE_URL.test(text)) {
    const img = h("img", { class: "cjm-avatar", alt: label || "", referrerpolicy: "no-referrer" });
    img.addEventListener("error", () => img.replaceWith(initialsBadge(label)), { once: true });
    img.src = text; // checked above: only http(s) and raster data URIs
    return img;
  }
  if (!text || !canDraw(text)) return initialsBadge(label);
  return h("span", { class: `cjm-avatar${PICTOGRAPH.test(text) ? " cjm-emoji" : ""}`, "aria-hidden": "true", text });
}
