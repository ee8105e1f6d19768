#!/usr/bin/env node
/**
 * Reads a V8 .cpuprofile (from `npm run bench -- --profile`) and prints where the time went: self time
 * by package and by function, and total (inclusive) time of the plugin's own functions.
 * Usage: node bench/profile-summary.mjs bench/results/profiles/<file>.cpuprofile [top]
 */
import fs from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample durations: each sample lasts until the next one.
const self = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? 0) / 1000;
  self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

const packageOf = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internals';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/server/')) return 'strapi-plugin-consent (dist)';
  return url.replace(/^file:\/\//, '');
};
const nameOf = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '')}:${lineNumber + 1}`;

const add = (map, key, v) => map.set(key, (map.get(key) ?? 0) + v);
const byPackage = new Map();
const byFunction = new Map();
const pluginInclusive = new Map();
for (const [id, ms] of self) {
  const node = byId.get(id);
  add(byPackage, packageOf(node.callFrame), ms);
  add(byFunction, nameOf(node.callFrame), ms);
  // Inclusive time of the plugin's frames: each plugin function on the stack once.
  const seen = new Set();
  for (let cur = id; cur != null; cur = parent.get(cur)) {
    const frame = byId.get(cur).callFrame;
    if (!frame.url.includes('/dist/server/')) continue;
    const key = nameOf(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    add(pluginInclusive, key, ms);
  }
}

const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled`);
print('self time by package', byPackage);
print('self time by function', byFunction);
print('inclusive time of the plugin’s functions', pluginInclusive);
