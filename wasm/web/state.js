// The page's state and its URL fragment. SCHEMA lists every setting with
// its default and a parser; the scene modules (scenes.js) say which keys
// their links carry, under which names (aliases), and how a state is
// corrected (clamps). parseFragment and fragmentOf are built from them by
// linkCodec.

export const MAX_SEED = 4294967295;

// Each key: default, and a parser returning the value or undefined if bad.
const enumOf = (...vals) => (s) => (vals.includes(s) ? s : undefined);
const intIn = (lo, hi) => (s) => (/^\d+$/.test(s) && +s >= lo && +s <= hi ? +s : undefined);
const numIn = (lo, hi) => (s) => (/^\d+(\.\d+)?$/.test(s) && +s >= lo && +s <= hi ? +s : undefined);
// A link is untrusted input, and the notice shows parts of it: the page
// reads at most MAX_FRAGMENT characters of the fragment (the longest
// fragment it writes is a drawing code of at most MAX_CODE characters
// and a few hundred for the other settings), quotes at most QUOTE_MAX
// characters of a key or value, and shows the first MAX_NOTES notes, each
// cut to MAX_NOTE characters.
const MAX_CODE = 8000;
const MAX_FRAGMENT = 10000;
const QUOTE_MAX = 40;
export const MAX_NOTES = 8;
export const MAX_NOTE = 200;
export const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
const codeOf = (s) => (s.length <= MAX_CODE && /^[A-Za-z0-9_-]*$/.test(s) ? s : undefined);

// The Geometry scene's images and noise levels.
const GEOMETRY_IMAGES = ["c1", "c2", "c4", "m30000", "m1000", "m10"];
const geometrySigma = (s) => (["0.05", "0.1", "0.2", "0.4"].includes(s) ? +s : undefined);

// SCHEMA has every setting but the scene (linkCodec adds it from the scene
// table).
export const SCHEMA = {
  image: { def: "calpha", parse: enumOf("calpha", "mnist") },
  alpha: { def: 2, parse: numIn(0.5, 6) },
  method: { def: "code", parse: enumOf("code", "paper") },
  size: { def: 128, parse: (s) => intIn(32, 256)(s) !== undefined && [32, 64, 128, 256].includes(+s) ? +s : undefined },
  seed: { def: 1, parse: intIn(0, MAX_SEED) },
  wavelet: { def: "db4", parse: enumOf("haar", "db2", "db3", "db4", "db5", "db6", "db7", "db8") },
  J: { def: 4, parse: intIn(1, 8) },
  j: { def: 0, parse: intIn(0, 8) },
  view: { def: "approx", parse: enumOf("approx", "details", "mallat", "fourier") },
  // The Draw & denoise scene.
  net: { def: "drawing", parse: enumOf("drawing", "calpha1", "calpha2", "calpha4") },
  mode: { def: "boundary", parse: enumOf("boundary", "stroke") },
  width: { def: 3, parse: numIn(1, 8) },
  bg: { def: 1, parse: intIn(0, MAX_SEED) },
  sigma: { def: 0.1, parse: numIn(0, 0.5) },
  nseed: { def: 1, parse: intIn(0, MAX_SEED) },
  d: { def: "", parse: codeOf },
  // Its adapted basis, in the link only when on, and its K (the link key k
  // of scene=draw, an alias).
  basis: { def: "off", parse: enumOf("on", "off"), why: "basis is on or off" },
  bk: { def: 32, parse: (s) => (["16", "32", "64"].includes(s) ? +s : undefined), why: "k is 16, 32 or 64" },
  // The Renormalise scene (seed and j are shared with the Scales scene).
  L: { def: 64, parse: (s) => (["32", "64", "128"].includes(s) ? +s : undefined), why: "L is 32, 64 or 128" },
  beta: { def: 0.68, parse: (s) => (/^0?\.680*$/.test(s) ? 0.68 : undefined), why: "the page ships models fitted at β = 0.68 only" },
  rfield: { def: "phi4", parse: enumOf("phi4", "turbulence", "calpha", "drawings"), why: "field is phi4, turbulence, calpha or drawings" },
  // The Scattering scene (seed, alpha and the drawing's d, mode, width
  // and bg are shared with the other scenes). Its J, L, j and size are
  // the link keys J, L, j and size of scene=scat (its alias).
  field: { def: "phi4", parse: enumOf("phi4", "calpha", "drawing", "cosmic", "turbulence"), why: "field is phi4, calpha, drawing, cosmic or turbulence" },
  ssize: { def: 64, parse: (s) => (["64", "128"].includes(s) ? +s : undefined), why: "size is 64 or 128" },
  kind: { def: "bump", parse: enumOf("bump", "morlet"), why: "kind is bump or morlet" },
  // J from 2 (the page's smallest bank) to 6, the most scales of the
  // largest size, 128 (compute.scatMaxJ: log₂128 − 1); a J beyond the
  // link's size is lowered to log₂size − 1 (the scene's clamp).
  sJ: { def: 5, parse: intIn(2, 6), why: "J is 2 to 6, at most 5 at size 64" },
  sL: { def: 4, parse: (s) => (["2", "4", "6", "8"].includes(s) ? +s : undefined), why: "L is 2, 4, 6 or 8: even, so that the perpendicular orientation is one of the bank's" },
  sj: { def: 1, parse: intIn(0, 7) },
  k: { def: 0, parse: intIn(0, 7) },
  by: { def: "orientation", parse: enumOf("orientation", "scale") },
  form: { def: "iso", parse: enumOf("iso", "full"), why: "form is iso or full" },
  // The synthesis's marginal-matching term (compute.ScatSynthRequest.Marginal):
  // in the link only when off.
  marginal: { def: "on", parse: enumOf("on", "off"), why: "marginal is on (match the 64-quantile marginal, the default) or off" },
  // The Generate scene (seed is shared). Its mode, size, N, show and net
  // are the link keys mode, size, N, show and net of scene=gen (its
  // alias).
  gmode: { def: "pair", parse: enumOf("pair", "grid"), why: "mode is pair (two nets, the same noise) or grid (samples of one net)" },
  gsize: { def: "small", parse: enumOf("small", "large"), why: "size is small or large" },
  gN: { def: 1, parse: (s) => ([1, 10, 100, 1000, 10000, 30000].includes(+s) && /^\d+$/.test(s) ? +s : undefined), why: "N is 1, 10, 100, 1000, 10000 or 30000" },
  sampler: { def: "kadkhodaie", parse: enumOf("kadkhodaie", "reverse-sde"), why: "sampler is kadkhodaie or reverse-sde" },
  preset: { def: "paper", parse: enumOf("paper", "code"), why: "preset is paper or code" },
  gshow: { def: "xhat", parse: enumOf("y", "xhat"), why: "show is y (the noisy iterate) or xhat (the estimate)" },
  gnet: { def: "mnist-small-s1-n30000", parse: (s) => (/^(mnist-(small|large)-s[12]-n(1|10|100|1000|10000|30000)|drawing|calpha[124])$/.test(s) ? s : undefined), why: "net is a shipped denoiser (drawing, calpha1, calpha2, calpha4) or a net of the sweep (mnist-small-s1-n100, …)" },
  // The Geometry scene: analyses A and B, each an image (c1, c2, c4: a
  // held-out C^α image with the C^α net of its α; m<N>: a held-out MNIST
  // digit with the small sweep net trained on N digits of S1), its number
  // and σ; and K, the link key k of scene=geometry (an alias).
  ea: { def: "c1", parse: enumOf(...GEOMETRY_IMAGES), why: "ea is c1, c2, c4 (a C^α image) or m30000, m1000, m10 (an MNIST digit, net trained on N digits)" },
  eb: { def: "c4", parse: enumOf(...GEOMETRY_IMAGES), why: "eb is c1, c2, c4 (a C^α image) or m30000, m1000, m10 (an MNIST digit, net trained on N digits)" },
  sa: { def: 0.1, parse: geometrySigma, why: "σ is 0.05, 0.1, 0.2 or 0.4" },
  sb: { def: 0.1, parse: geometrySigma, why: "σ is 0.05, 0.1, 0.2 or 0.4" },
  ia: { def: 1, parse: intIn(0, 29999), why: "the image number is 0 to 29999" },
  ib: { def: 1, parse: intIn(0, 29999), why: "the image number is 0 to 29999" },
  gk: { def: 16, parse: (s) => (["16", "32"].includes(s) ? +s : undefined), why: "k is 16 or 32" },
};

// linkCodec returns the state's defaults, parseFragment and fragmentOf for
// the scene table scenes (see scenes.js): the first scene is the default,
// each scene's keys, alias, keep and clamp say what its link holds.
export function linkCodec(scenes) {
  const schema = { scene: { def: scenes[0].name, parse: enumOf(...scenes.map((sc) => sc.name)) }, ...SCHEMA };
  const ORDER = Object.keys(schema);
  const sceneOf = (name) => scenes.find((sc) => sc.name === name);
  // ALIAS names the state key behind a link key, per scene; the state
  // keys behind an alias are never link keys themselves.
  const ALIAS = Object.fromEntries(scenes.filter((sc) => sc.alias).map((sc) => [sc.name, sc.alias]));
  const INTERNAL = new Set(Object.values(ALIAS).flatMap((a) => Object.values(a)));
  const linkKey = (scene, name) => {
    for (const [k, v] of Object.entries(ALIAS[scene] || {})) if (v === name) return k;
    return name;
  };
  const defaults = () => Object.fromEntries(ORDER.map((k) => [k, schema[k].def]));
  // clamp corrects s in place with every scene's clamp; note (when given)
  // receives the notices.
  const clamp = (s, note = () => {}) => {
    const cur = sceneOf(s.scene);
    for (const sc of scenes) if (sc.clamp) sc.clamp(s, note, cur);
  };

  // parseFragment returns a complete state and the notices for whatever it
  // had to ignore or correct; it never throws.
  function parseFragment(hash) {
    const s = defaults();
    const notes = [];
    let text = (hash || "").replace(/^#/, "");
    if (text === "") return { state: s, notes };
    if (text.length > MAX_FRAGMENT) {
      // Read whole settings only: cut at the last "&" within the limit.
      const cut = text.lastIndexOf("&", MAX_FRAGMENT);
      notes.push(`the link is too long (${text.length.toLocaleString("en-US")} characters): only its first ` +
        `${MAX_FRAGMENT.toLocaleString("en-US")} were read, and defaults were used for the rest`);
      text = text.slice(0, cut > 0 ? cut : MAX_FRAGMENT);
    }
    // The scene first: it says what its aliased keys mean.
    let scene = schema.scene.def;
    for (const part of text.split("&")) {
      const m = /^scene=(.*)$/.exec(part);
      if (m) { try { scene = schema.scene.parse(decodeURIComponent(m[1])) || scene; } catch (e) { /* reported below */ } }
    }
    for (const part of text.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      let key, raw;
      try {
        key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
        raw = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        notes.push(`could not decode “${clip(part, QUOTE_MAX)}”`);
        continue;
      }
      const name = (ALIAS[scene] || {})[key] || key;
      const spec = INTERNAL.has(key) ? undefined : schema[name];
      if (!spec) {
        notes.push(`unknown setting “${clip(key, QUOTE_MAX)}” ignored`);
        continue;
      }
      const v = spec.parse(raw);
      if (v === undefined) {
        notes.push(`${clip(key, QUOTE_MAX)}=“${clip(raw, QUOTE_MAX)}” is not valid${spec.why ? ` (${spec.why})` : ""}; using ${spec.def}`);
        continue;
      }
      s[name] = v;
    }
    clamp(s, (note) => notes.push(note));
    return { state: s, notes };
  }

  // fragmentOf returns the link of s: its scene and the keys the scene
  // keeps for s, each under its link name.
  function fragmentOf(s) {
    const sc = sceneOf(s.scene);
    const keys = ["scene", ...sc.keys]
      .filter((k) => !sc.keep || sc.keep(k, s))
      .filter((k) => !(k === "width" && s.mode !== "stroke"))
      .filter((k) => !(k === "d" && s.d === ""))
      .filter((k) => !(k === "marginal" && s.marginal === SCHEMA.marginal.def));
    return "#" + keys.map((k) => `${linkKey(s.scene, k)}=${encodeURIComponent(s[k])}`).join("&");
  }

  return { defaults, clamp, parseFragment, fragmentOf, sceneOf };
}
