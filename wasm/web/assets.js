// The page's assets: inline in the single file (gzip+base64 data blocks
// that scripts/mkdist writes) or fetched beside the page (hosted).

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

export async function assetBytes(name) {
  const b64 = inlineAsset(name);
  if (b64 !== null) {
    const gz = new Blob([fromBase64(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(gz).arrayBuffer());
  }
  const r = await fetch(name);
  if (!r.ok) throw new Error(`could not load ${name}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export const assetText = async (name) => new TextDecoder().decode(await assetBytes(name));

// singleFile reports whether this page is the self-contained file.
export const singleFile = () => inlineAsset("app.wasm") !== null;
