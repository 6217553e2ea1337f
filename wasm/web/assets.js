// The page's assets: inline in the single file (gzip+base64 data blocks
// that scripts/mkdist writes) or fetched beside the page (hosted).
//
// assetBytes(name, onBytes) reports its progress to onBytes(loaded, total)
// when given: hosted, the bytes of the response body read so far against
// its Content-Length; in the single file, the compressed bytes of the
// inline block the decompressor has taken so far against the block's size.
// total is 0 when unknown.

function inlineAsset(name) {
  const el = document.querySelector(`script[type="application/x-scalewise-asset"][data-name="${name}"]`);
  return el ? el.textContent.trim() : null;
}

function fromBase64(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// isInline reports whether the asset name is inline (the single file).
export const isInline = (name) => inlineAsset(name) !== null;

export async function assetBytes(name, onBytes) {
  const b64 = inlineAsset(name);
  if (b64 !== null) return inflate(fromBase64(b64), onBytes);
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

// inflate gunzips gz. With onBytes it feeds the decompressor in slices,
// each when the decompressor asks for more, and counts them.
async function inflate(gz, onBytes) {
  let src;
  if (!onBytes) src = new Blob([gz]).stream();
  else {
    const SLICE = 1 << 18;
    let at = 0;
    onBytes(0, gz.length);
    src = new ReadableStream({
      pull(c) {
        if (at >= gz.length) return c.close();
        const end = Math.min(at + SLICE, gz.length);
        c.enqueue(gz.subarray(at, end));
        at = end;
        onBytes(at, gz.length);
      },
    }, { highWaterMark: 0 });
  }
  return new Uint8Array(await new Response(src.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}

// gunzip inflates gzip bytes (the lazy data that comes gzipped, such as
// the MNIST training digits).
export const gunzip = (gz) => inflate(gz);

export const assetText = async (name) => new TextDecoder().decode(await assetBytes(name));

// singleFile reports whether this page is the self-contained file.
export const singleFile = () => isInline("app.wasm");
