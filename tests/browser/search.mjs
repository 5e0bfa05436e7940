#!/usr/bin/env node
// hearth's search box in Debian's Chromium.
//
//   node search.mjs SITE_DIR [--es-title TITLE]
//
// Serves SITE_DIR on 127.0.0.1 at `/` and under `/toolkit/`, and opens it from file:// too,
// then types into the search box: on Spanish pages `límites` and `limites` list the limits
// session (module 06) among the first three; on English pages `calm` finds pages about
// calming; keyboard only (Tab to the box, type, ArrowDown, Enter) opens a result; Escape
// closes the results and a second Escape clears the box; a nonsense word says there are no
// results and links to the sessions; the index loads only once the box has focus, from
// no other host. axe-core (WCAG 2.2 A/AA) runs with the results open at 360 px and at
// desktop width, and in the dark colour scheme; at 360 px the open results must not
// scroll sideways, their text is at least 16 px and each result at least 44 px tall.
//
// It prints a line per step and exits 1 listing the failures, or 2 when it cannot run.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

function usage(message) {
  console.error(`${message}\nusage: node search.mjs SITE_DIR [--es-title TITLE]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let site = null;
let esTitle = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--es-title') esTitle = argv[++i];
  else if (argv[i].startsWith('--')) usage(`unknown option ${argv[i]}`);
  else if (!site) site = argv[i];
  else usage(`one site folder only, not also ${argv[i]}`);
}
if (!site) usage('which built site? give its folder');
const SITE = path.resolve(site);
for (const f of ['es/index.html', 'en/index.html', 'assets/search.js', 'assets/search/es.js', 'assets/search/en.js']) {
  if (!fs.existsSync(path.join(SITE, f))) usage(`${SITE} has no ${f}: build the site (with its search index) first`);
}
if (!fs.existsSync(CHROMIUM)) usage(`no Chromium at ${CHROMIUM}: apt-get install chromium`);

// The Spanish title of the sample's module 06, from its front matter.
if (!esTitle) {
  const modules = path.join(HERE, '..', '..', 'content', 'es', 'modules');
  const dir = fs.existsSync(modules) && fs.readdirSync(modules).find((d) => d.startsWith('06-'));
  const md = dir && path.join(modules, dir, 'index.md');
  const m = md && fs.existsSync(md) && /^title:\s*["']?(.+?)["']?\s*$/m.exec(fs.readFileSync(md, 'utf8'));
  esTitle = m ? m[1] : 'Límites sanos en casa';
}

// ---------------------------------------------------------------------------------------
// Local servers, as check.mjs serves a site: at `/` and under a sub-path.

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

function serve(mount) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = null;
    if (url.pathname.startsWith(mount)) {
      try {
        rel = decodeURIComponent(url.pathname.slice(mount.length));
      } catch {
        rel = null;
      }
    }
    if (rel !== null && (rel === '' || rel.endsWith('/'))) rel += 'index.html';
    const full = rel === null ? null : path.resolve(SITE, rel);
    if (!full || !full.startsWith(SITE + path.sep) || !fs.existsSync(full) || fs.statSync(full).isDirectory()) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(full)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(fs.readFileSync(full));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, name: mount === '/' ? 'served at /' : `served under ${mount}`, base: `http://127.0.0.1:${server.address().port}${mount}` })),
  );
}

// ---------------------------------------------------------------------------------------
// Steps and findings

const failures = [];
let steps = 0;
function step(where, what, ok, detail = '') {
  steps++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${where}: ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures.push(`${where}: ${what}${detail ? ` (${detail})` : ''}`);
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page, options) {
  await page.evaluate(axeSource);
  const r = await page.evaluate((o) => window.axe.run(document, o), options);
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** A language's index data, its head and every part merged, as the scripts hand them to
 * the page (`base` is `en` or `en-facilitator`). */
function indexData(base) {
  const data = { w: {}, s: {} };
  const window = { hearthSearch: { add: (l, a, part, d) => {
    if (part === 'head') data.e = d.e;
    else if (part.startsWith('w-')) { Object.assign(data.w, d.w); Object.assign(data.s, d.s); }
  } } };
  const dir = path.join(SITE, 'assets', 'search');
  const files = [`${base}.js`, ...fs.readdirSync(path.join(dir, base)).map((f) => `${base}/${f}`)];
  for (const f of files) new Function('window', fs.readFileSync(path.join(dir, f), 'utf8'))(window);
  return data;
}

/** A word of the English facilitator index that no participant page can match: not a
 * participant word or the start of one, and starting with no participant stem. */
function facilitatorOnlyWord() {
  const guides = indexData('en-facilitator');
  const pages = indexData('en');
  const words = Object.keys(pages.w);
  const stems = Object.keys(pages.s);
  return Object.keys(guides.w)
    .filter((w) => /^[a-z]{7,}$/.test(w))
    .find((w) => !words.some((p) => p.startsWith(w)) && !stems.some((st) => st.length >= 3 && w.startsWith(st)));
}

function results(page) {
  return page.evaluate(() => {
    const input = document.querySelector('.search input');
    const panel = document.querySelector('.search-panel');
    const opts = [...document.querySelectorAll('.search [role=option]')];
    return {
      expanded: input.getAttribute('aria-expanded'),
      active: input.getAttribute('aria-activedescendant'),
      selected: opts.filter((o) => o.getAttribute('aria-selected') === 'true').map((o) => o.id),
      panel: !!panel && !panel.hidden && panel.getBoundingClientRect().height > 0,
      empty: !document.querySelector('.search-empty').hidden,
      value: input.value,
      status: document.querySelector('.search [role=status]').textContent,
      titles: opts.map((o) => o.querySelector('.search-title').textContent),
      hrefs: opts.map((o) => o.href),
      marks: document.querySelectorAll('.search [role=option] mark').length,
      excerpts: document.querySelectorAll('.search [role=option] .search-excerpt').length,
    };
  });
}

const foldWord = (w) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether results whose title has `word` all come before those whose title has no word
 * that even starts like it (its first four letters): a title match outranks body text. */
function titlesFirst(titles, word) {
  const words = (t) => foldWord(t).split(/[^\p{L}\p{N}]+/u);
  const has = titles.map((t) => words(t).includes(foldWord(word)));
  const unlike = titles.map((t) => !words(t).some((w) => w.startsWith(foldWord(word).slice(0, 4))));
  const lastHas = has.lastIndexOf(true);
  const firstUnlike = unlike.indexOf(true);
  return has[0] && (firstUnlike < 0 || lastHas < firstUnlike);
}

async function query(page, text) {
  const input = page.locator('.search input');
  await input.click();
  await input.fill('');
  await input.pressSequentially(text, { delay: 20 });
  await page.waitForFunction(
    () => document.querySelector('.search [role=option]') || !document.querySelector('.search-empty').hidden,
    null,
    { timeout: 5000 },
  );
  // What shows first may be a shorter query's answer while the last letter's word list
  // still loads: read the results once they hold still.
  let last = await results(page);
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(100);
    const now = await results(page);
    if (JSON.stringify(now) === JSON.stringify(last) && (now.titles.length > 0 || now.empty)) return now;
    last = now;
  }
  return last;
}

/** At 360 px with the results open: sideways scrolling, text size, result height. */
function phoneProbe(width) {
  const issues = [];
  if (document.scrollingElement.scrollWidth > width + 1) issues.push(`the page is ${document.scrollingElement.scrollWidth} px wide`);
  const panel = document.querySelector('.search-panel');
  if (panel.scrollWidth > panel.clientWidth + 1) issues.push('the results scroll sideways');
  if (panel.getBoundingClientRect().right > width + 0.5) issues.push('the results stick out of the screen');
  const walker = document.createTreeWalker(document.querySelector('.search'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('[hidden],.visually-hidden')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 15.99) issues.push(`"${n.textContent.trim().slice(0, 30)}" is ${px} px`);
  }
  for (const el of document.querySelectorAll('.search input, .search [role=option]')) {
    const r = el.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) issues.push(`${el.id || el.localName} is ${Math.round(r.width)}×${Math.round(r.height)} px`);
  }
  return issues;
}

// ---------------------------------------------------------------------------------------
// The checks, for one way of opening the site

async function checkSite(browser, where, base, local) {
  const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', reducedMotion: 'reduce' });
  const outside = [];
  // Every index script asked for, part or whole.
  const indexLoads = [];
  ctx.on('request', (r) => {
    const url = r.url();
    if (/\/assets\/search\/.+\.js$/.test(url)) indexLoads.push(url);
    if (!local(url)) outside.push(url);
  });
  // Excerpt parts come late, as on a slow phone: results must show first, and work without them.
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (!local(url)) return route.abort('blockedbyclient');
    if (/\/x-\d+\.js$/.test(url)) return new Promise((done) => setTimeout(() => done(route.continue()), 300));
    return route.continue();
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Spanish: accents or none, the limits session comes first or near it.
  await page.goto(base + 'es/index.html');
  const shown = await page.evaluate(() => {
    const box = document.querySelector('.search');
    return !!box && !box.hidden && getComputedStyle(box).display !== 'none';
  });
  step(where, 'es/index.html shows the search box', shown);
  step(where, 'no index is loaded before the box has focus', indexLoads.length === 0, indexLoads.join(', '));
  for (const q of ['límites', 'limites']) {
    const r = await query(page, q);
    const at = r.titles.indexOf(esTitle);
    step(where, `es: "${q}" lists "${esTitle}" in the top 3`, at >= 0 && at < 3, `got ${r.titles.slice(0, 4).join(' | ')}`);
    step(where, `es: "${q}" marks matched words and opens the listbox`, r.marks > 0 && r.expanded === 'true' && r.panel);
  }
  // The head, the words of one letter and the excerpts shown: never the whole index.
  const names = indexLoads.map((u) => u.replace(/^.*\/assets\/search\//, ''));
  const wordParts = names.filter((n) => n.startsWith('es/w-'));
  step(where, 'es: the queries loaded es.js and the words of "l" only, each once', names[0] === 'es.js' && wordParts.join() === 'es/w-l.js' && new Set(names).size === names.length && names.every((n) => n === 'es.js' || n.startsWith('es/')), names.join(', '));
  await page.waitForTimeout(600);
  const es = await results(page);
  step(where, 'es: every result shows its excerpt', es.titles.length > 0 && es.excerpts === es.titles.length, `${es.excerpts} excerpts, ${es.titles.length} results`);
  step(where, 'es: the status says how many results', /\d/.test(es.status) && es.status.includes(String(es.titles.length)), `"${es.status}"`);

  // Nonsense: "no results", and a way to the sessions.
  const none = await query(page, 'zzxqvw');
  await page.waitForTimeout(600);
  const none2 = await results(page);
  const sessions = await page.evaluate(() => {
    const a = document.querySelector('.search-empty a');
    return a && a.getBoundingClientRect().height > 0 ? a.href : null;
  });
  step(where, 'es: a nonsense word shows "no results" and no list', none.empty && none.titles.length === 0 && none.expanded === 'false' && none2.status.length > 0, `status "${none2.status}"`);
  step(where, 'es: "no results" links to the sessions', !!sessions && sessions.endsWith('es/index.html'), sessions || 'no link');

  // English: calm.
  await page.goto(base + 'en/index.html');
  const en = await query(page, 'calm');
  step(where, 'en: "calm" finds pages about calming', en.titles.length > 0 && /calm/i.test(en.titles[0]), `got ${en.titles.slice(0, 4).join(' | ')}`);

  // Relevance: a page titled with the word ranks above pages that only mention it.
  const help = await query(page, 'help');
  step(where, 'en: "help" lists pages titled with it first', titlesFirst(help.titles, 'help'), `got ${help.titles.join(' | ')}`);
  await page.goto(base + 'es/index.html');
  const ayuda = await query(page, 'ayuda');
  step(where, 'es: "ayuda" lists pages titled with it first', titlesFirst(ayuda.titles, 'ayuda'), `got ${ayuda.titles.join(' | ')}`);
  await page.goto(base + 'en/index.html');
  await query(page, 'calm');

  // Escape closes, a second Escape clears.
  await page.keyboard.press('Escape');
  // Parts of the index still on their way must not open the results again.
  await page.waitForTimeout(500);
  const esc1 = await results(page);
  step(where, 'Escape closes the results, keeping the text', esc1.expanded === 'false' && !esc1.panel && esc1.value === 'calm');
  await page.keyboard.press('Escape');
  const esc2 = await results(page);
  step(where, 'a second Escape clears the box', esc2.value === '');

  // Keyboard only: Tab to the box, type, ArrowDown, Enter.
  await page.goto(base + 'en/index.html');
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement === document.querySelector('.search input'));
  }
  step(where, 'Tab reaches the box', reached);
  if (reached) {
    await page.keyboard.type('calm', { delay: 30 });
    await page.waitForSelector('.search [role=option]', { timeout: 5000 }).catch(() => {});
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const k = await results(page);
    step(where, 'ArrowDown moves the active result (aria-activedescendant, aria-selected)', k.active === 'search-o1' && k.selected.join() === 'search-o1', `active ${k.active}, selected ${k.selected}`);
    await page.keyboard.press('ArrowUp');
    const k2 = await results(page);
    step(where, 'ArrowUp moves back', k2.active === 'search-o0');
    const target = k2.hrefs[0];
    await Promise.all([page.waitForURL((u) => u.href === target, { timeout: 5000 }).catch(() => {}), page.keyboard.press('Enter')]);
    step(where, 'Enter opens the active result', page.url() === target, `at ${page.url()}, wanted ${target}`);
  }

  // A facilitator guide searches the guides.
  const guide = fs.readdirSync(path.join(SITE, 'en')).find((d) => fs.existsSync(path.join(SITE, 'en', d, 'facilitator', 'index.html')));
  if (guide && fs.existsSync(path.join(SITE, 'assets/search/en-facilitator.js'))) {
    indexLoads.length = 0;
    await page.goto(`${base}en/${guide}/facilitator/index.html`);
    await page.locator('.search input').focus();
    await page.waitForTimeout(300);
    step(where, 'a guide loads the facilitator index', indexLoads.some((u) => u.endsWith('/assets/search/en-facilitator.js')), indexLoads.join(', '));
    // A word only facilitators' text has: found from a guide, never from a participant page.
    const secret = facilitatorOnlyWord();
    step(where, 'the guides have a word no participant page has', !!secret);
    if (secret) {
      const found = await query(page, secret);
      step(where, `a guide finds "${secret}", a word of facilitators' text only`, found.titles.length > 0);
      await page.goto(base + 'en/index.html');
      const hidden = await query(page, secret);
      step(where, `a participant page finds nothing for "${secret}"`, hidden.titles.length === 0 && hidden.empty, `got ${hidden.titles.join(' | ')}`);
    }
  }

  step(where, 'nothing is asked of another host', outside.length === 0, outside.slice(0, 3).join(', '));
  step(where, 'no script error', errors.length === 0, errors.join('; '));
  await ctx.close();
}

async function checkAccessibility(browser, base) {
  for (const [name, viewport, extra] of [
    ['phone, 360 px', PHONE, { isMobile: true, hasTouch: true }],
    ['desktop, 1280 px', DESKTOP, {}],
  ]) {
    const ctx = await browser.newContext({ viewport, colorScheme: 'light', reducedMotion: 'reduce', ...extra });
    const page = await ctx.newPage();
    for (const [lang, q] of [['es', 'límites'], ['en', 'calm']]) {
      await page.goto(`${base}${lang}/index.html`);
      await query(page, q);
      await page.keyboard.press('ArrowDown');
      const v = await axe(page, { runOnly: { type: 'tag', values: AXE_TAGS } });
      step(`axe, ${name}`, `${lang}/ with the results open: no WCAG 2.2 A/AA violation`, v.length === 0, v.join('; '));
      await page.emulateMedia({ colorScheme: 'dark' });
      const d = await axe(page, { runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block'] } });
      step(`axe, ${name}`, `${lang}/ with the results open: contrast in the dark colour scheme`, d.length === 0, d.join('; '));
      await page.emulateMedia({ colorScheme: 'light' });
      if (viewport === PHONE) {
        const issues = await page.evaluate(phoneProbe, PHONE.width);
        step(`phone, 360 px`, `${lang}/ results fit the screen, text ≥ 16 px, targets ≥ 44 px`, issues.length === 0, issues.slice(0, 4).join('; '));
      }
      await query(page, 'zzxqvw');
      const n = await axe(page, { runOnly: { type: 'tag', values: AXE_TAGS } });
      step(`axe, ${name}`, `${lang}/ with "no results": no violation`, n.length === 0, n.join('; '));
    }
    await ctx.close();
  }
}

async function main() {
  setTimeout(() => {
    console.error('the search checks could not finish in 300 s');
    process.exit(2);
  }, 300_000).unref();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    usage(`no playwright-core: cd tests/browser && npm ci (${e.message})`);
  }
  const root = await serve('/');
  const sub = await serve('/toolkit/');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  console.log(`hearth search checks: ${SITE} in Chromium ${browser.version()}; expecting "${esTitle}" for límites`);
  const fileBase = pathToFileURL(SITE).href + '/';
  for (const [where, base, local] of [
    [root.name, root.base, (u) => u.startsWith(root.base) || /^(data|blob|about):/.test(u)],
    [sub.name, sub.base, (u) => u.startsWith(sub.base) || /^(data|blob|about):/.test(u)],
    ['file://', fileBase, (u) => u.startsWith(fileBase) || /^(data|blob|about):/.test(u)],
  ]) {
    await checkSite(browser, where, base, local);
  }
  await checkAccessibility(browser, sub.base);
  await browser.close();
  root.server.close();
  sub.server.close();
  if (failures.length) {
    console.log(`\n${failures.length} of ${steps} search checks failed:`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }
  console.log(`\nall ${steps} search checks passed`);
}

main().catch((e) => {
  console.error(`the search checks could not run: ${e.stack || e}`);
  process.exit(2);
});
