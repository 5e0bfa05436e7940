#!/usr/bin/env node
// An unzipped `hearth bundle` in Chromium, opened the way a partner opens a USB stick:
// from file://, starting at the start pages at its root.
//
//   node bundle.mjs DIR
//
// Each start page at DIR's root (`START-HERE-English.html`…) must send the browser on to
// its language's home. From the pages at the root, it follows every link that stays in
// DIR, breadth first, and on each page checks that
//
//   loads      the page and every stylesheet, script and picture it asks for load
//   isolation  no request leaves DIR (file://, data:, blob: and about: only)
//   links      every link inside DIR opens a file, never a folder (which file:// shows as
//              a bare listing), and its #anchor is on that page
//   styled     the theme's stylesheet applies (a page without it reads as raw HTML)
//
// and at the end that every HTML page in DIR was reached from a start page. It prints a
// report and exits 1 listing every failure, or 2 when it cannot run at all.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

function usage(message) {
  console.error(`${message}\nusage: node bundle.mjs DIR`);
  process.exit(2);
}

const DIR = process.argv[2] ? path.resolve(process.argv[2]) : usage('no folder given');
if (!fs.statSync(DIR, { throwIfNoEntry: false })?.isDirectory()) usage(`${DIR} is not a folder`);
const BASE = pathToFileURL(DIR).href + '/';

const failures = [];
function fail(page, check, detail) {
  failures.push(`${page}: ${check}: ${detail}`);
}

/// A URL's file inside DIR, relative and with `/`, or null when it leads elsewhere.
function inside(url) {
  if (!url.startsWith(BASE)) return null;
  return decodeURIComponent(url.slice(BASE.length).split(/[?#]/)[0]);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [path.relative(DIR, p).split(path.sep).join('/')];
  });
}

async function main() {
  setTimeout(() => {
    console.error('the bundle check could not finish in 240 s');
    process.exit(2);
  }, 240_000).unref();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    usage(`no playwright-core: cd tests/browser && npm ci (${e.message})`);
  }
  const files = walk(DIR);
  // The pages at the root are the ways in: a start page per language, which sends the
  // browser on to that language's home, and the site's own root pages (`index.html`,
  // `404.html`), which a partner may double-click too.
  const roots = files.filter((f) => !f.includes('/') && f.endsWith('.html'));
  const isStart = (f) => /http-equiv="refresh"/.test(fs.readFileSync(path.join(DIR, f), 'utf8'));
  const starts = roots.filter(isStart);
  if (!starts.length) usage(`${DIR} has no start page at its root`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  console.log(`hearth bundle check: ${DIR} from file:// in Chromium ${browser.version()}`);
  const context = await browser.newContext();
  const page = await context.newPage();
  let current = '';
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(BASE) && !/^(data|blob|about):/.test(url)) fail(current, 'isolation', `asked for ${url}`);
  });
  page.on('requestfailed', (r) => fail(current, 'loads', `${r.url()} failed: ${r.failure()?.errorText}`));

  // A start page sends the browser on to its language's home at once; it also links
  // there, for a browser that does not follow it.
  const queue = roots.filter((f) => !isStart(f));
  const seen = new Set(roots);
  for (const start of starts) {
    current = start;
    await page.goto(BASE + encodeURIComponent(start));
    await page.waitForURL((u) => !u.href.endsWith(encodeURIComponent(start)), { timeout: 5000 }).catch(() => {});
    const landed = inside(page.url());
    const link = fs.readFileSync(path.join(DIR, start), 'utf8').match(/<a href="([^"]+)"/)?.[1];
    if (landed === null || landed === start || !fs.statSync(path.join(DIR, landed), { throwIfNoEntry: false })?.isFile()) {
      fail(start, 'loads', `it leads to ${page.url()}, not a page of the bundle`);
    } else if (landed !== link) {
      fail(start, 'links', `it goes on to ${landed} but links ${link}`);
    } else {
      console.log(`  ${start} opens ${landed}`);
      if (!seen.has(landed)) {
        seen.add(landed);
        queue.push(landed);
      }
    }
  }
  const ids = new Map(); // page -> the ids on it
  const anchors = []; // [from, to, id]
  let links = 0;
  while (queue.length) {
    current = queue.shift();
    const response = await page.goto(BASE + current.split('/').map(encodeURIComponent).join('/'), { waitUntil: 'load' });
    if (!response) {
      fail(current, 'loads', 'nothing loaded');
      continue;
    }
    const found = await page.evaluate(() => ({
      hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.href),
      ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
      sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => [l.href, Boolean(l.sheet)]),
      // The theme sets the page's width; a browser's own stylesheet leaves it at `auto`.
      styled: getComputedStyle(document.querySelector('.wrap') || document.body).maxWidth !== 'none',
    }));
    ids.set(current, new Set(found.ids));
    for (const [href, loaded] of found.sheets) {
      if (!loaded) fail(current, 'styled', `${href} did not load`);
    }
    if (!found.styled) {
      fail(current, 'styled', 'the theme does not apply');
    }
    for (const href of found.hrefs) {
      if (!href.startsWith('file:')) continue; // the outside world, tel: and mailto: links
      const target = inside(href);
      if (target === null) {
        fail(current, 'links', `${href} leads out of the bundle`);
        continue;
      }
      links++;
      const stat = fs.statSync(path.join(DIR, target), { throwIfNoEntry: false });
      if (!stat) {
        fail(current, 'links', `${target} does not exist`);
        continue;
      }
      if (stat.isDirectory()) {
        fail(current, 'links', `${target || '(the root)'} is a folder: file:// shows a listing`);
        continue;
      }
      const hash = decodeURIComponent(new URL(href).hash.slice(1));
      if (hash) anchors.push([current, target, hash]);
      if (target.endsWith('.html') && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const [from, to, id] of anchors) {
    if (!ids.get(to)?.has(id)) fail(from, 'links', `${to}#${id}: no such anchor`);
  }
  const islands = files.filter((f) => f.endsWith('.html') && !seen.has(f));
  for (const f of islands) fail(f, 'links', 'no start page leads here');
  await browser.close();

  console.log(`  ${seen.size} pages from ${roots.length} pages at the root (${roots.join(', ')}), ${links} links, ${anchors.length} anchors`);
  if (failures.length) {
    console.log(`\n${failures.length} bundle checks failed:`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }
  console.log('the bundle works from file://');
}

main().catch((e) => {
  console.error(`the bundle check could not run: ${e.stack || e}`);
  process.exit(2);
});
