// The scene table: the one place the page names its scenes. Everything
// else asks a scene module, through this contract:
//
//   name            the link's scene=… and the tab's data-scene
//   title           the tab's text (a tab is made when index.html has none)
//   blurb           one line on what the scene shows: the tab's title and
//                   the line under the tabs while the scene is shown
//   papers          what the scene implements, for the About scene:
//                   [{authors, title, where, arxiv}] (arxiv: the arXiv
//                   number, only where it is known for sure)
//   hidden          no tab: reachable by its link only
//   appScene        the canvas app's scene (setScene)
//   canvasOptional  when the canvas app has no appScene, hide the canvas
//                   instead of failing
//   touch           the canvas takes fingers (drawing): they neither
//                   scroll nor zoom the page there (app.js, canvasTouch)
//   keys            the state keys its link holds after scene, in order
//   alias           {link key: state key}: the link's names for its own
//                   settings (the state keys behind aliases are never link
//                   keys)
//   keep(k, s)      whether the link of state s holds key k (default: all)
//   clamp(s, note, cur)  corrects s in place (every scene's clamp runs on
//                   every state); note(text) reports a correction of a
//                   link; cur is the scene module of s.scene
//   jMax(s)         the largest scale j the scene shows (default s.J)
//   bind(ctx)       once at boot: wire (or make) its controls
//   write(ctx)      write its controls from ctx.state (every update)
//   info(ctx)       at boot, once the engine runs: ask what it offers
//   recompute(ctx)  compute and show what ctx.state asks for (when shown)
//   enter(ctx)      the canvas now shows the scene
//   leave(ctx)      the person left the scene: pause what runs
//   busy()          a computation is still settling (boot waits for it)
//   onKey(ctx, key) a key the page hands on ("ArrowLeft", "ArrowRight",
//                   " "; not while a field has the focus): ←/→ step the
//                   scale, space plays or pauses; true when it did
//   savePNG(ctx)    a PNG data URL for Save PNG (default: the canvas)
//   pngName(s)      the Save PNG file name
//   api(ctx)        members it adds to window.scalewise
//
// ctx (main.js): state (the live state), scenes (this table),
// update(changes), writeControls(), pushURL(), shown(scene),
// onCanvas(scene), framesKey (the compute inputs of the frames the canvas
// has, "" after a scene switch).
import { scene as scales } from "./scenes/scales.js";
import { scene as draw } from "./scenes/draw.js";
import { scene as rg } from "./scenes/rg.js";
import { scene as scat } from "./scenes/scat.js";
import { scene as gen } from "./scenes/generate.js";
import { scene as geometry } from "./scenes/geometry.js";
import { scene as about } from "./scenes/about.js";

// SCENES: the first is the default.
export const SCENES = [scales, draw, rg, scat, gen, geometry, about];
