// The base-85 code of the single file's inline data blocks (written by
// scripts/mkdist, base85.go): each 5 characters, digits of the alphabet
// '!'..'v' without '<', most significant first, give 4 bytes, big-endian.

const DIGIT = (() => {
  const t = new Int16Array(128).fill(-1);
  let d = 0;
  for (let c = 33; c <= 118; c++) if (c !== 60) t[c] = d++;
  return t;
})();

// decodeBase85(text, from, to, out, at) decodes the characters
// text[from, to) (a multiple of 5) into out from index at, dropping bytes
// past out's end (the padding of the last group), and returns the index
// after the last byte written. It throws on a character outside the code.
export function decodeBase85(text, from, to, out, at) {
  if ((to - from) % 5 !== 0) throw new Error("base85: a partial group of characters");
  for (let i = from; i < to; i += 5) {
    let v = 0;
    for (let k = 0; k < 5; k++) {
      const c = text.charCodeAt(i + k);
      const d = c < 128 ? DIGIT[c] : -1;
      if (d < 0) throw new Error(`base85: character ${c} at ${i + k} is not in the code`);
      v = v * 85 + d;
    }
    if (v > 0xffffffff) throw new Error(`base85: group at ${i} exceeds 32 bits`);
    if (at < out.length) out[at] = v >>> 24;
    if (at + 1 < out.length) out[at + 1] = (v >>> 16) & 255;
    if (at + 2 < out.length) out[at + 2] = (v >>> 8) & 255;
    if (at + 3 < out.length) out[at + 3] = v & 255;
    at += 4;
  }
  return Math.min(at, out.length);
}
