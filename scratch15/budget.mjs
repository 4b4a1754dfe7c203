import { evolveSpace, GenomeLatency } from '/work/wt15/dist/search/menas/evolve.js';
import { evolveConfigOf, defaultFlags } from '/work/wt15/dist/search/menas/config.js';
import { EVOLVE_PRESETS } from '/work/wt15/dist/search/menas/presets.js';
import { Rng } from '/work/wt15/dist/util/rng.js';
const f = defaultFlags(); const p = EVOLVE_PRESETS.quick;
for (const k of Object.keys(p)) f[k] = { ...f[k], ...p[k] };
const cfg = evolveConfigOf(f);
const space = evolveSpace(cfg);
const lat = new GenomeLatency(space, 1);
const rng = new Rng(0); const xs = [];
while (xs.length < 16) { const g = space.sample(rng); if (space.cost(g) <= 30) xs.push([lat.of(g), space.cost(g)]); }
xs.sort((a,b)=>a[0]-b[0]); console.log(JSON.stringify(xs.map(([l,c])=>[+l.toFixed(2), +c.toFixed(1)])));
await lat.close();
