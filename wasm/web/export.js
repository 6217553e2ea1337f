// Exports: files the person downloads, the panels PNG of a scene, and the
// files the engine writes ("rg_export", "scat_export").
import { compute } from "./engine.js";
import { job, showError } from "./ui.js";

// download saves bytes (with their mime type) or a URL as filename, by a
// link the page clicks.
export function download(bytesOrURL, mime, filename) {
  const a = document.createElement("a");
  const blob = typeof bytesOrURL !== "string";
  a.href = blob ? URL.createObjectURL(new Blob([bytesOrURL], { type: mime })) : bytesOrURL;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (blob) setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// panelsPNG composes tiles, each {frame, name, caption} (the image called
// name of a Frame), enlarged to 256 pixels with its caption, perRow to a
// row, and returns a PNG data URL. A tile whose image is missing is left
// out.
export function panelsPNG(tiles, perRow = 4) {
  const found = [];
  for (const { frame, name, caption } of tiles) {
    const im = frame.images.find((x) => x.name === name);
    if (im) found.push({ frame, im, caption });
  }
  const S = 256, G = 12, T = 28;
  const rows = Math.ceil(found.length / perRow);
  const out = document.createElement("canvas");
  out.width = perRow * S + (perRow + 1) * G; out.height = rows * (S + T + G) + G;
  const ctx = out.getContext("2d");
  ctx.fillStyle = "#121418"; ctx.fillRect(0, 0, out.width, out.height);
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = "#e6e6e6"; ctx.font = "15px sans-serif";
  found.forEach(({ frame, im, caption }, i) => {
    const tile = document.createElement("canvas");
    tile.width = im.w; tile.height = im.h;
    tile.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(frame.buf, im.off, 4 * im.w * im.h).slice(), im.w, im.h), 0, 0);
    const x = G + (i % perRow) * (S + G), y = G + Math.floor(i / perRow) * (S + T + G);
    ctx.drawImage(tile, x, y, S, S);
    ctx.fillText(caption, x, y + S + 20);
  });
  return out.toDataURL("image/png");
}

// series returns the float32 series called name of the first of frames
// that has it, or null.
export function series(frames, name) {
  for (const f of frames) {
    if (!f) continue;
    const im = f.images.find((x) => x.name === name);
    if (im && im.h === 1) return Array.from(new Float32Array(f.buf.slice(im.off, im.off + 4 * im.w)));
  }
  return null;
}

const EXPORTS = { gif: "image/gif", png: "image/png", npy: "application/octet-stream" };

// exportFile asks the engine for a file (op "rg_export" or "scat_export")
// and resolves to {bytes, mime, filename}; nothing is the error when
// there is nothing to export yet (null when there is).
export async function exportFile(op, format, nothing) {
  if (!EXPORTS[format]) throw new Error(`unknown export format ${format}`);
  if (nothing) throw new Error(nothing);
  const f = await compute(job(), op, { format });
  return { bytes: new Uint8Array(f.buf), mime: f.values.mime, filename: f.values.filename };
}

// forTest is an export as window.scalewise returns it: base64 bytes.
export const forTest = (e) => ({ mime: e.mime, filename: e.filename, base64: toBase64(e.bytes) });

function toBase64(u8) {
  let s = "";
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return btoa(s);
}

// saveFile exports format and downloads it, reporting a failure.
export async function saveFile(op, format, nothing) {
  try {
    const e = await exportFile(op, format, nothing);
    download(e.bytes, e.mime, e.filename);
  } catch (err) {
    showError(`Could not export ${format}: ${err.message}`);
  }
}
