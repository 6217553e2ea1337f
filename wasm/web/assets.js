// The page's assets: inline in the single file (gzip+base85 data blocks
// that scripts/mkdist writes; see base85.js) or fetched beside the page
// (hosted).
//
// assetBytes(name, onBytes) reports its progress to onBytes(loaded, total)
// when given: hosted, the bytes of the response body read so far against
// its Content-Length; in the single file, the compressed bytes of the
// inline block the decompressor has taken so far against the block's size.
// total is 0 when unknown.

import { decodeBase85 } from "./base85.js";

// blockOf returns the inline data block of the asset name, or null.
const blockOf = (name) => document.querySelector(`script[type="application/x-scalewise-asset"][data-name="${name}"]`);

// inlineAsset returns the inline block of the asset name, { text, bytes }
// (its base-85 text and the number of gzip bytes it codes), or null.
function inlineAsset(name) {
  const el = blockOf(name);
  if (!el) return null;
  const bytes = Number(el.dataset.bytes);
  const text = el.textContent.trim();
  if (!Number.isInteger(bytes) || bytes < 0 || Math.ceil(bytes / 4) * 5 !== text.length) {
    throw new Error(`the inline block of ${name} is damaged: ${text.length} characters for ${el.dataset.bytes} bytes`);
  }
  return { text, bytes };
}

// isInline reports whether the asset name is inline (the single file).
export const isInline = (name) => blockOf(name) !== null;

export async function assetBytes(name, onBytes) {
  const block = inlineAsset(name);
  if (block !== null) return inflate(decodedSlices(block), block.bytes, onBytes);
  const r = await fetch(name);
  if (!r.ok) throw new Error(`could not load ${name}: HTTP ${r.status}`);
  if (!onBytes || !r.body) return new Uint8Array(await r.arrayBuffer());
  return readCounting(r, onBytes);
}

// readCounting reads the body of r chunk by chunk, counting. The
// Content-Length of a compressed response counts the compressed bytes,
// not the ones the body yields: the total is then unknown.
async function readCounting(r, onBytes) {
  const enc = (r.headers.get("Content-Encoding") || "identity").toLowerCase();
  const total = enc === "identity" ? Number(r.headers.get("Content-Length")) || 0 : 0;
  const reader = r.body.getReader();
  const chunks = [];
  let loaded = 0;
  onBytes(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onBytes(loaded, total);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

// SLICE is the number of compressed bytes the decompressor takes at a
// time (a multiple of 4, for base85 groups).
const SLICE = 1 << 18;

// decodedSlices returns a function that decodes the next slice of the
// inline block, or returns null at its end: the block is decoded slice by
// slice as the decompressor asks, so no long task decodes it whole.
function decodedSlices({ text, bytes }) {
  let at = 0;
  return () => {
    if (at >= bytes) return null;
    const n = Math.min(SLICE, bytes - at);
    const out = new Uint8Array(n);
    decodeBase85(text, (at / 4) * 5, Math.ceil((at + n) / 4) * 5, out, 0);
    at += n;
    return out;
  };
}

// bytesSlices returns a function that returns the next slice of gz.
function bytesSlices(gz) {
  let at = 0;
  return () => {
    if (at >= gz.length) return null;
    const end = Math.min(at + SLICE, gz.length);
    const out = gz.subarray(at, end);
    at = end;
    return out;
  };
}

// inflate gunzips the total gzip bytes that next() returns slice by slice
// (null at the end), each slice when the decompressor asks for more,
// counting them to onBytes when given.
async function inflate(next, total, onBytes) {
  let at = 0;
  if (onBytes) onBytes(0, total);
  const src = new ReadableStream({
    pull(c) {
      const s = next();
      if (s === null) return c.close();
      c.enqueue(s);
      at += s.length;
      if (onBytes) onBytes(at, total);
    },
  }, { highWaterMark: 0 });
  return new Uint8Array(await new Response(src.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}

// gunzip inflates gzip bytes (the lazy data that comes gzipped, such as
// the MNIST training digits).
export const gunzip = (gz) => inflate(bytesSlices(gz), gz.length);

export const assetText = async (name) => new TextDecoder().decode(await assetBytes(name));

// singleFile reports whether this page is the self-contained file.
export const singleFile = () => isInline("app.wasm");
