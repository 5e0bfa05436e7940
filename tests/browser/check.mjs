#!/usr/bin/env node
// hearth's browser checks: every page of a built site, in Debian's Chromium.
//
//   node check.mjs SITE_DIR [--keep DIR] [--only TEXT]... [--jobs N]
//
// Serves SITE_DIR itself on 127.0.0.1, once at `/` and once under `/toolkit/`, drives
// /usr/bin/chromium through playwright-core (no browser is downloaded), and checks every
// page for:
//
//   accessibility  axe-core finds no violation of a WCAG 2.0/2.1/2.2 A or AA rule, on a
//                  phone and on a desktop, and (contrast) in the dark colour scheme too
//   isolation      no request goes to any host but the local server
//   links          every internal link and #anchor resolves, at / and under /toolkit/
//   phones         at 360 px: no sideways scrolling, text at least 16 px, tap targets at
//                  least 44 px (or inline in a sentence) and not covered by anything
//   languages      the language switch lands on the counterpart page, which links back
//   print          Chromium's print-to-PDF on US Letter: handouts fit their `pages`,
//                  packets start each handout and module on a new page, no navigation or
//                  switcher on paper, every page's footer has the organisation, the crisis
//                  line and a page number, `lines` blocks print as ruled lines, and links
//                  whose destination is not in their text print it
//
// It prints a report per check and exits 1 listing every failure (page, check, detail),
// or 2 when it cannot run at all. `--keep DIR` leaves every PDF and a phone screenshot of
// every page in DIR, to look at.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

const SUB_PATH = '/toolkit/';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// What a finger needs (WCAG 2.5.5, Apple's and Android's guidance): 44 CSS px.
const TAP = 44;
const MIN_TEXT_PX = 16;
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
// US Letter in PDF points, and the bands at its top and bottom where the @page margin
// boxes print: a running header in the top 0.6 inch, the footer in the bottom inch.
const LETTER = { width: 612, height: 792 };
const HEADER_BAND = 43;
const FOOTER_BAND = 72;
// Where the page number's box starts: the page's width less its 0.75 inch margin and the
// box's 0.6 inch (theme's @bottom-right), with a little room.
const NUMBER_BOX = LETTER.width - 54 - 43 - 6;

// ---------------------------------------------------------------------------------------
// Arguments

function usage(message) {
  console.error(`${message}\nusage: node check.mjs SITE_DIR [--keep DIR] [--only TEXT]... [--jobs N]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const opts = { site: null, keep: null, only: [], jobs: 2 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--keep') opts.keep = argv[++i];
  else if (a === '--only') opts.only.push(argv[++i]);
  else if (a === '--jobs') opts.jobs = Number(argv[++i]);
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (!opts.site) opts.site = a;
  else usage(`one site folder only, not also ${a}`);
}
if (!opts.site) usage('which built site? give its folder');
const SITE = path.resolve(opts.site);
if (!fs.existsSync(path.join(SITE, 'index.html'))) usage(`${SITE} has no index.html: build the site first`);
if (!fs.existsSync(CHROMIUM)) usage(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
if (!(opts.jobs >= 1)) usage('--jobs needs a number of 1 or more');

// ---------------------------------------------------------------------------------------
// The site and the two local servers

function walk(dir, top = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, top, out);
    else out.push(path.relative(top, full).split(path.sep).join('/'));
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.ico': 'image/x-icon',
};

/** The site file a URL path names under `mount`, or null. */
function fileFor(urlPath, mount) {
  if (!urlPath.startsWith(mount)) return null;
  let rel;
  try {
    rel = decodeURIComponent(urlPath.slice(mount.length));
  } catch {
    return null;
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const full = path.resolve(SITE, rel);
  if (full !== SITE && !full.startsWith(SITE + path.sep)) return null;
  return fs.existsSync(full) ? { rel: path.relative(SITE, full).split(path.sep).join('/'), full } : null;
}

/** Serves SITE under `mount` only, like a web server hosting it in that folder. */
function serve(mount) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname + '/' === mount) {
      res.writeHead(301, { location: mount });
      return res.end();
    }
    let found = fileFor(url.pathname, mount);
    if (found && fs.statSync(found.full).isDirectory()) {
      res.writeHead(301, { location: url.pathname + '/' });
      return res.end();
    }
    if (!found) {
      const notFound = path.join(SITE, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(found.full).toLowerCase()] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(fs.readFileSync(found.full));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ server, mount, origin, base: origin + mount });
    }),
  );
}

// ---------------------------------------------------------------------------------------
// Findings

const failures = [];
const stats = {
  pages: 0,
  axeRuns: 0,
  axeIncomplete: 0,
  requests: 0,
  blocked: 0,
  links: 0,
  anchors: 0,
  targets: 0,
  textNodes: 0,
  switches: 0,
  pdfs: 0,
  pdfPages: 0,
  handouts: 0,
  packetItems: 0,
  ruled: 0,
  printedLinks: 0,
  /** What axe could not decide, by rule: for a person to look at. */
  review: {},
};
const CHECKS = ['accessibility', 'isolation', 'links', 'phones', 'languages', 'print'];

function fail(page, check, detail) {
  // The same finding on the same page is told once, with how often it was found.
  const same = failures.find((f) => f.page === page && f.check === check && f.detail === detail);
  if (same) same.times++;
  else failures.push({ page, check, detail, times: 1 });
}

// ---------------------------------------------------------------------------------------
// In-page probes (run inside Chromium)

/** What every visit reads: language, ids, links, language switch, footer facts. */
function readPage() {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const links = [];
  for (const el of document.querySelectorAll('a[href], area[href], link[href]')) {
    links.push({
      tag: el.localName,
      raw: el.getAttribute('href'),
      href: el.href,
      rel: el.getAttribute('rel') || '',
      hreflang: el.getAttribute('hreflang') || '',
      text: norm(el.textContent),
      inSwitch: !!el.closest('.lang-switch'),
    });
  }
  const current = document.querySelector('.lang-switch [aria-current]');
  return {
    lang: document.documentElement.lang,
    title: document.title,
    bodyClass: document.body.className,
    ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    links,
    current: current ? { lang: current.getAttribute('lang'), text: norm(current.textContent) } : null,
    org: norm(document.querySelector('.site-footer .org')?.textContent).split(' · ')[0],
    // Each line as paper prints it: a text-message link is for phones, not for the footer.
    crisis: [...document.querySelectorAll('.footer-crisis li')].map((li) => {
      const line = li.cloneNode(true);
      for (const sms of line.querySelectorAll('.sms')) sms.remove();
      return norm(line.textContent).replace(/\s*·\s*$/, '');
    }),
    handoutPages: Number(document.querySelector('article[data-pages]')?.dataset.pages || 0),
    packetShort: document.querySelector('article.packet-short') !== null,
    packet: [...document.querySelectorAll('article.packet > .packet-item')].map((s) => ({
      id: s.id,
      kicker: norm(s.querySelector(':scope > .kicker')?.textContent),
      title: norm(s.querySelector(':scope > h2')?.textContent),
      pages: Number(s.dataset.pages || 0),
    })),
  };
}

/** Phone checks at 360 px: sideways scrolling, text size, tap targets. */
function phoneProbe({ TAP, MIN_TEXT_PX, WIDTH }) {
  const issues = [];
  const name = (el) => {
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    else if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return text ? `${s} "${text.slice(0, 40)}${text.length > 40 ? '…' : ''}"` : s;
  };
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  // A phone's browser widens the page to fit what sticks out, so measure against the
  // screen, not the window.
  const vw = WIDTH;

  // Sideways scrolling: of the page, and of any box inside it.
  const doc = document.scrollingElement;
  if (doc.scrollWidth > vw + 1 || window.innerWidth > vw) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > vw + 1 && shown(e))
      .slice(0, 3)
      .map(name);
    issues.push(`the page scrolls sideways: ${doc.scrollWidth} px wide in a ${vw} px screen (${wide.join('; ')})`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (!/(auto|scroll)/.test(cs.overflowX) || el.localName === 'textarea') continue;
    if (el.scrollWidth > el.clientWidth + 1 && shown(el)) {
      issues.push(`${name(el)} scrolls sideways: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    }
  }

  // Text size: every visible text, and the text of ::before and ::after.
  let textNodes = 0;
  const small = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || !shown(el)) continue;
    textNodes++;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < MIN_TEXT_PX - 0.01 && !small.has(el)) small.set(el, px);
  }
  for (const el of document.body.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (['none', 'normal'].includes(cs.content) || !/[\p{L}\p{N}]/u.test(cs.content) || cs.display === 'none' || !shown(el)) continue;
      const px = parseFloat(cs.fontSize);
      if (px < MIN_TEXT_PX - 0.01) issues.push(`${name(el)}${pseudo} text is ${px} px, under ${MIN_TEXT_PX} px`);
    }
  }
  for (const [el, px] of small) issues.push(`${name(el)} text is ${px} px, under ${MIN_TEXT_PX} px`);

  // Tap targets.
  const blockOf = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      if (!getComputedStyle(e).display.startsWith('inline')) return e;
    }
    return document.body;
  };
  const inSentence = (el) => {
    if (!getComputedStyle(el).display.startsWith('inline') || getComputedStyle(el).display === 'inline-block') return false;
    const block = blockOf(el);
    const own = (el.textContent || '').replace(/\s+/g, '');
    const all = (block.textContent || '').replace(/\s+/g, '');
    return all.length > own.length;
  };
  let targets = 0;
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(sel)) {
    if (!shown(el)) continue;
    let r = el.getBoundingClientRect();
    if (r.bottom + window.scrollY < 0) {
      // Off-screen until focused, like a skip link: measure it as it shows then.
      el.focus();
      r = el.getBoundingClientRect();
      if (r.bottom + window.scrollY < 0) continue;
    }
    targets++;
    // A "stretched" link's ::before or ::after, absolutely placed over its whole
    // positioned ancestor (a card), takes taps for it there.
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (cs.content === 'none' || cs.position !== 'absolute' || cs.display === 'none') continue;
      if (!['top', 'right', 'bottom', 'left'].every((side) => cs[side] === '0px')) continue;
      let holder = el;
      while (holder.parentElement && getComputedStyle(holder).position === 'static') holder = holder.parentElement;
      const h = holder.getBoundingClientRect();
      const left = Math.min(r.left, h.left);
      const top = Math.min(r.top, h.top);
      r = { left, top, width: Math.max(r.right, h.right) - left, height: Math.max(r.bottom, h.bottom) - top };
    }
    const inline = inSentence(el);
    if (!inline && (r.width < TAP - 0.5 || r.height < TAP - 0.5)) {
      issues.push(`tap target ${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px, under ${TAP}×${TAP}`);
    }
    // Something covering the target would take the tap instead.
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const rects = [...el.getClientRects()].filter((q) => q.width > 0 && q.height > 0);
    const q = rects[0] || el.getBoundingClientRect();
    const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
    if (hit && hit !== el && !el.contains(hit) && !(el.labels && [...el.labels].some((l) => l.contains(hit)))) {
      issues.push(`tap target ${name(el)} is covered by ${name(hit)}`);
    }
    if (document.activeElement === el) el.blur();
  }
  window.scrollTo(0, 0);
  return { issues, targets, textNodes };
}

/** Print checks on the page as printed (print media emulated). */
function printProbe() {
  const issues = [];
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const name = (el) => {
    let s = el.localName;
    if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
    return s;
  };
  const printed = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  // Navigation, switchers and overlays have no place on paper. A packet's table of
  // contents is content, not navigation.
  const chrome = document.querySelectorAll(
    'nav:not(.contents), [role=navigation], .lang-switch, .skip-link, .site-header, .site-footer, .page-tools, .prev-next, .print-hint, .print-links, .card-links, dialog, [role=dialog], button',
  );
  for (const el of chrome) if (printed(el)) issues.push(`${name(el)} is on paper`);
  for (const el of document.body.querySelectorAll('*')) {
    const pos = getComputedStyle(el).position;
    if ((pos === 'fixed' || pos === 'sticky') && printed(el)) issues.push(`${name(el)} (position: ${pos}) overlays the paper`);
  }
  // Lines blocks print as ruled writing lines, not as a text box.
  let ruled = 0;
  for (const block of document.querySelectorAll('.block-lines')) {
    if (!printed(block)) continue;
    ruled++;
    const lines = block.querySelector('.ruled');
    const box = block.querySelector('textarea');
    if (box && printed(box)) issues.push('a lines block prints its text box');
    if (!lines || !printed(lines)) {
      issues.push('a lines block prints no ruled lines');
      continue;
    }
    const count = Number(getComputedStyle(lines).getPropertyValue('--lines')) || 1;
    const h = lines.getBoundingClientRect().height;
    // A rule is a border or a shadow of the box or of its ::before or ::after, or a
    // background image.
    const drawn = [null, '::before', '::after'].some((pseudo) => {
      const cs = getComputedStyle(lines, pseudo);
      if (pseudo && cs.content === 'none') return false;
      return (
        cs.backgroundImage !== 'none' ||
        cs.borderTopStyle !== 'none' ||
        cs.borderBottomStyle !== 'none' ||
        cs.boxShadow !== 'none'
      );
    });
    if (h < count * 0.3 * 96) issues.push(`a lines block of ${count} lines is ${Math.round(h)} px tall, under ${count} × 0.3 in`);
    if (!drawn) issues.push('a lines block has no rule drawn');
  }
  // Links whose destination helps on paper: web addresses, emails, phone numbers.
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (!printed(a)) continue;
    const href = a.getAttribute('href');
    let dest = null;
    if (/^https?:/i.test(href)) dest = href.replace(/^https?:\/\//i, '').replace(/\/$/, '');
    else if (/^mailto:/i.test(href)) dest = href.slice(7).split('?')[0];
    else if (/^tel:/i.test(href)) dest = href.slice(4);
    if (!dest) continue;
    const text = norm(a.textContent);
    const digits = (s) => s.replace(/\D/g, '');
    const inText = /^tel:/i.test(href) ? digits(text).includes(digits(dest)) : text.toLowerCase().includes(dest.toLowerCase());
    links.push({ href, dest, text, inText });
  }
  return { issues, ruled, links };
}

// ---------------------------------------------------------------------------------------
// PDFs

const norm = (s) => (s || '').normalize('NFKC').replace(/\s+/g, ' ').trim();
// Phone numbers print with unbreakable hyphens (U+2011), which read as hyphens.
const squash = (s) => (s || '').normalize('NFKC').replace(/[\s\u00ad]+/g, '').replace(/[\u2010\u2011]/g, '-').toLowerCase();

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ENTITIES[e]);

/** Each page of a PDF as poppler lays it out: its text blocks, with where they are. */
async function pdfBlocks(file) {
  const { stdout } = await run('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 256 << 20 });
  return stdout
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<block xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/block>/g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        yMax: Number(m[4]),
        text: norm(unescape([...m[5].matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '))),
        words: [...m[5].matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((w) => ({ x: Number(w[1]), text: unescape(w[2]) })),
      })),
    );
}

async function checkPdf(rel, file, info, printed) {
  const { stdout } = await run('pdfinfo', [file]);
  const count = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] || 0);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(stdout);
  stats.pdfs++;
  stats.pdfPages += count;
  if (!size || Math.abs(size[1] - LETTER.width) > 1 || Math.abs(size[2] - LETTER.height) > 1) {
    fail(rel, 'print', `pages are ${size ? `${size[1]} × ${size[2]} pt` : 'of no size'}, not US Letter (612 × 792 pt)`);
  }
  // Split each page into its running header, its body and its footer.
  const pages = (await pdfBlocks(file)).map((blocks) => ({
    body: blocks.filter((b) => b.yMax > HEADER_BAND && b.y < LETTER.height - FOOTER_BAND).sort((p, q) => p.y - q.y || p.x - q.x),
    footer: blocks.filter((b) => b.y >= LETTER.height - FOOTER_BAND),
  }));
  const all = squash(pages.map((p) => [...p.body, ...p.footer].map((b) => b.text).join(' ')).join(' '));

  // Each page's footer: the organisation, the crisis line, a page number. The number
  // prints in its own box at the right (@bottom-right); poppler may put it in one block
  // with the footer's text, so the two are told apart by where each word starts.
  if (info.org) {
    for (let p = 0; p < count; p++) {
      const footer = pages[p]?.footer || [];
      const words = (side) => footer.map((b) => b.words.filter((w) => (w.x >= NUMBER_BOX) === side).map((w) => w.text).join(' ')).filter(Boolean);
      const text = words(false).join(' | ');
      const missing = [];
      if (!squash(text).includes(squash(info.org))) missing.push(`the organisation ("${info.org}")`);
      for (const c of info.crisis) if (!squash(text).includes(squash(c))) missing.push(`the crisis line ("${c}")`);
      const number = words(true)
        .map((t) => /^(?:\D*\s)?(\d+)(?:\s*(?:\/|of|de)\s*(\d+))?$/i.exec(norm(t)))
        .find((m) => m && Number(m[1]) === p + 1);
      if (!number) missing.push(`its page number ${p + 1}`);
      else if (number[2] && Number(number[2]) !== count) missing.push(`the right page count (it says ${number[2]}, not ${count})`);
      if (missing.length) fail(rel, 'print', `page ${p + 1} of ${count}: the footer lacks ${missing.join(', ')} (it reads "${text}")`);
    }
  } else if (!['index.html', '404.html'].includes(rel)) {
    fail(rel, 'print', 'the page names no organisation to print in its footer');
  }

  // Handouts fit their pages.
  if (info.handoutPages) {
    stats.handouts++;
    const last = pages[count - 1]?.body || [];
    const bottom = Math.max(0, ...last.map((b) => b.yMax));
    const fill = Math.round((100 * bottom) / (LETTER.height - FOOTER_BAND));
    if (!stats.tightest || fill > stats.tightest.fill) stats.tightest = { rel, fill, count };
    if (count > info.handoutPages) {
      fail(rel, 'print', `the handout prints on ${count} pages; it must fit ${info.handoutPages}`);
    }
  }

  // Packets start each handout and each module on a new page, and handouts in them fit
  // their pages there too. A packet with a short contents list starts its first item on
  // the cover page, under the contents, rather than spend a sheet on the cover.
  if (info.packet.length) {
    const whole = (p) => squash(pages[p].body.map((b) => b.text).join(' '));
    const top = (p) => whole(p).slice(0, 400);
    let from = 0;
    const starts = [];
    for (const [i, item] of info.packet.entries()) {
      stats.packetItems++;
      const heads = [item.kicker, item.title].filter(Boolean).map((h) => squash(h).slice(0, 60));
      let at = -1;
      if (i === 0 && info.packetShort) {
        // On the cover: after the contents list, which names it too.
        const cover = whole(0);
        const listed = cover.indexOf(squash(item.title).slice(0, 60));
        if (heads.some((h) => cover.indexOf(h, listed + 1) > listed)) at = 0;
        else fail(rel, 'print', `"${item.title}" does not start on the cover page of a short packet`);
        if (at < 0) continue;
      }
      for (let p = from; p < count && at < 0; p++) if (heads.some((h) => top(p).startsWith(h))) at = p;
      if (at < 0) {
        fail(rel, 'print', `"${item.title}" does not start at the top of a page`);
        continue;
      }
      starts.push({ item, at });
      from = at + 1;
    }
    starts.forEach(({ item, at }, i) => {
      const used = (i + 1 < starts.length ? starts[i + 1].at : count) - at;
      if (item.pages && used > item.pages) {
        fail(rel, 'print', `the handout "${item.title}" prints on ${used} pages of the packet; it must fit ${item.pages}`);
      }
    });
  }

  // Links whose destination is not in their text print it.
  for (const l of printed.links) {
    stats.printedLinks++;
    if (l.inText) continue;
    const dest = /^tel:/i.test(l.href) ? l.dest.replace(/\D/g, '') : squash(l.dest);
    const hay = /^tel:/i.test(l.href) ? all.replace(/\D/g, ' ') : all;
    if (!hay.includes(dest)) fail(rel, 'print', `the link "${l.text}" prints without where it goes (${l.dest})`);
  }
  return count;
}

// ---------------------------------------------------------------------------------------
// Visits

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = require('axe-core/package.json').version;

async function axe(page, rel, where, options) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (o) => window.axe.run(document, { ...o, resultTypes: ['violations', 'incomplete'] }),
    options,
  );
  stats.axeRuns++;
  stats.axeIncomplete += result.incomplete.length;
  for (const r of result.incomplete) {
    const seen = (stats.review[r.id] ||= { pages: new Set(), why: r.nodes[0]?.any?.[0]?.message || r.help });
    seen.pages.add(rel);
  }
  for (const v of result.violations) {
    // The element, and the first reason axe gives for it.
    const nodes = v.nodes
      .slice(0, 4)
      .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n')[1].trim()})` : ''}`);
    const more = v.nodes.length > 4 ? `; and ${v.nodes.length - 4} more` : '';
    fail(rel, 'accessibility', `${where}: ${v.id} [${v.impact}] ${v.help}: ${nodes.join('; ')}${more}`);
  }
}

function watchRequests(context, server, label) {
  const current = { rel: null };
  context.route('**/*', (route) => {
    const url = route.request().url();
    stats.requests++;
    if (/^(data|blob|about):/.test(url) || url.startsWith(server.base)) return route.continue();
    stats.blocked++;
    fail(current.rel || '(no page)', 'isolation', `${label}: requested ${url} (only ${server.base} may be asked)`);
    return route.abort('blockedbyclient');
  });
  return current;
}

async function visit(page, server, rel, current, bad) {
  current.rel = rel;
  const url = server.base + rel;
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) bad(`${url} answered ${response ? response.status() : 'nothing'}`);
  return url;
}

/** Where the time goes, by step, summed over both workers (HEARTH_BROWSER_PROFILE=1). */
const timing = {};

/** Checks one page: on a phone under /toolkit/, on a desktop at /, and on paper. */
async function checkPage(rel, worker, data) {
  const { phone, desktop, tmp } = worker;
  const found = { rel };
  let mark = Date.now();
  // The check a step belongs to, to blame if the step itself breaks.
  let check = 'links';
  const step = (name, next) => {
    const now = Date.now();
    timing[name] = (timing[name] || 0) + now - mark;
    mark = now;
    check = next;
  };
  stats.pages++;
  try {
    // On a phone, under /toolkit/.
    const p = phone.page;
    const bad = (d) => fail(rel, 'links', d);
    await visit(p, phone.server, rel, phone.current, bad);
    found.sub = await p.evaluate(readPage);
    step('phone: load', 'phones');
    const probe = await p.evaluate(phoneProbe, { TAP, MIN_TEXT_PX, WIDTH: PHONE.width });
    stats.targets += probe.targets;
    stats.textNodes += probe.textNodes;
    for (const issue of probe.issues) fail(rel, 'phones', `at ${PHONE.width} px: ${issue}`);
    step('phone: probe', 'accessibility');
    await axe(p, rel, `phone, ${PHONE.width} px`, { runOnly: { type: 'tag', values: AXE_TAGS } });
    await p.emulateMedia({ colorScheme: 'dark' });
    await axe(p, rel, 'phone, dark colour scheme', { runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block'] } });
    await p.emulateMedia({ colorScheme: 'light' });
    if (opts.keep) await p.screenshot({ path: path.join(opts.keep, 'phone', rel.replace(/\//g, '__') + '.png') });
    step('phone: axe', 'links');

    // On a desktop, at /.
    const d = desktop.page;
    await visit(d, desktop.server, rel, desktop.current, bad);
    found.root = await d.evaluate(readPage);
    data.set(rel, found);
    step('desktop: load', 'accessibility');
    await axe(d, rel, `desktop, ${DESKTOP.width} px`, { runOnly: { type: 'tag', values: AXE_TAGS } });
    step('desktop: axe', 'print');

    // On paper.
    await d.emulateMedia({ media: 'print' });
    const printed = await d.evaluate(printProbe);
    await d.emulateMedia({ media: null });
    stats.ruled += printed.ruled;
    for (const issue of printed.issues) fail(rel, 'print', issue);
    const pdf = path.join(opts.keep ? path.join(opts.keep, 'pdf') : tmp, rel.replace(/\//g, '__') + '.pdf');
    await d.pdf({ path: pdf, format: 'Letter', printBackground: true });
    step('print: pdf', 'print');
    found.pdfPages = await checkPdf(rel, pdf, found.root, printed);
    if (!opts.keep) fs.rmSync(pdf, { force: true });
    step('print: poppler', 'print');
  } catch (e) {
    fail(rel, check, `the check could not finish: ${e.message.split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------------------------------
// Checks over the whole site: links and the language switch

async function status(url, cache) {
  if (!cache.has(url)) {
    cache.set(
      url,
      new Promise((resolve) => {
        http
          .get(url, (res) => {
            res.resume();
            resolve(res.statusCode);
          })
          .on('error', (e) => resolve(e.message));
      }),
    );
  }
  return cache.get(url);
}

async function checkLinks(data, servers) {
  const cache = new Map();
  for (const [rel, found] of data) {
    for (const [server, page] of [
      [servers.root, found.root],
      [servers.sub, found.sub],
    ]) {
      for (const link of page?.links || []) {
        let url;
        try {
          url = new URL(link.href);
        } catch {
          fail(rel, 'links', `<${link.tag} href="${link.raw}"> is not an address`);
          continue;
        }
        if (!/^https?:$/.test(url.protocol) || url.origin !== server.origin) continue;
        stats.links++;
        const where = `served under ${server.mount}: <${link.tag} href="${link.raw}">`;
        if (!url.pathname.startsWith(server.mount)) {
          fail(rel, 'links', `${where} leads out of the site's folder, to ${url.pathname}`);
          continue;
        }
        const bare = url.origin + url.pathname;
        const code = await status(bare, cache);
        if (code !== 200) {
          fail(rel, 'links', `${where} leads to ${url.pathname}, which answers ${code}`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (!fragment) continue;
        const target = fileFor(url.pathname, server.mount);
        const targetPage = target && data.get(target.rel);
        if (!targetPage) continue; // a page left out by --only
        stats.anchors++;
        if (!targetPage.root.ids.includes(fragment)) {
          fail(rel, 'links', `${where}: ${target.rel} has no id "${fragment}"`);
        }
      }
    }
  }
}

function checkLanguages(data, servers) {
  for (const [rel, found] of data) {
    const page = found.root;
    const switches = page.links.filter((l) => l.inSwitch && l.tag === 'a');
    if (page.current && page.current.lang !== page.lang) {
      fail(rel, 'languages', `the switch marks ${page.current.lang} as current on a page in ${page.lang}`);
    }
    const alternates = new Map(page.links.filter((l) => l.tag === 'link' && l.rel === 'alternate').map((l) => [l.hreflang, l.href]));
    for (const s of switches) {
      stats.switches++;
      const url = new URL(s.href);
      const target = fileFor(url.pathname, servers.root.mount);
      const other = target && data.get(target.rel);
      if (!target) {
        fail(rel, 'languages', `the switch to ${s.hreflang} ("${s.text}") leads nowhere (${s.raw})`);
        continue;
      }
      if (!other) continue; // left out by --only
      const there = other.root;
      const back = there.links.find((l) => l.inSwitch && l.hreflang === page.lang);
      const backTo = back && fileFor(new URL(back.href).pathname, servers.root.mount)?.rel;
      const problems = [];
      if (there.lang !== s.hreflang) problems.push(`it is in "${there.lang}", not "${s.hreflang}"`);
      if (there.bodyClass !== page.bodyClass) problems.push(`it is a different kind of page ("${there.bodyClass}", not "${page.bodyClass}")`);
      if (backTo !== rel) problems.push(backTo ? `its own switch leads back to ${backTo}, not here` : 'its switch does not lead back here');
      if (alternates.get(s.hreflang) !== s.href) problems.push(`the page's <link rel=alternate hreflang=${s.hreflang}> says ${alternates.get(s.hreflang) || 'nothing'}`);
      if (problems.length) fail(rel, 'languages', `the switch to ${s.hreflang} lands on ${target.rel}, but ${problems.join('; ')}`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Main

async function main() {
  const started = Date.now();
  // Nothing here should hang, but if Chromium does, say so rather than wait forever.
  const limit = Number(process.env.HEARTH_BROWSER_TIMEOUT || 600);
  setTimeout(() => {
    console.error(`the browser checks could not finish in ${limit} s (HEARTH_BROWSER_TIMEOUT)`);
    process.exit(2);
  }, limit * 1000).unref();
  const { chromium } = await import('playwright-core');
  let pages = walk(SITE).filter((f) => f.endsWith('.html')).sort();
  if (opts.only.length) pages = pages.filter((f) => opts.only.some((o) => f.includes(o)));
  if (!pages.length) usage('no pages to check');
  if (opts.keep) {
    fs.mkdirSync(path.join(opts.keep, 'phone'), { recursive: true });
    fs.mkdirSync(path.join(opts.keep, 'pdf'), { recursive: true });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-browser-'));
  const servers = { root: await serve('/'), sub: await serve(SUB_PATH) };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  console.log(`hearth browser checks: ${pages.length} pages of ${SITE}`);
  console.log(`  Chromium ${browser.version()} (${CHROMIUM}), axe-core ${axeVersion}; served at ${servers.root.base} and ${servers.sub.base}`);

  const data = new Map();
  const queue = [...pages];
  const jobs = Math.min(opts.jobs, pages.length);
  const contexts = [];
  const worker = async () => {
    const phoneCtx = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: opts.keep ? 2 : 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    const desktopCtx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', reducedMotion: 'reduce' });
    contexts.push(phoneCtx, desktopCtx);
    const w = {
      tmp,
      phone: { server: servers.sub, page: await phoneCtx.newPage(), current: watchRequests(phoneCtx, servers.sub, 'phone') },
      desktop: { server: servers.root, page: await desktopCtx.newPage(), current: watchRequests(desktopCtx, servers.root, 'desktop') },
    };
    for (const ctx of [w.phone, w.desktop]) {
      ctx.page.on('response', (r) => {
        if (r.status() >= 400) fail(ctx.current.rel, 'links', `${r.request().resourceType()} ${r.url()} answered ${r.status()}`);
      });
      ctx.page.on('pageerror', (e) => fail(ctx.current.rel, 'accessibility', `a script failed: ${e.message}`));
    }
    for (let rel = queue.shift(); rel; rel = queue.shift()) await checkPage(rel, w, data);
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  await checkLinks(data, servers);
  checkLanguages(data, servers);
  for (const c of contexts) await c.close();
  await browser.close();
  servers.root.server.close();
  servers.sub.server.close();
  fs.rmSync(tmp, { recursive: true, force: true });

  // Report.
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = {
    accessibility: `${stats.axeRuns} axe runs (WCAG 2.2 A/AA on phone and desktop, contrast in dark mode); ${stats.axeIncomplete} results left for a person to review`,
    isolation: `${stats.requests} requests: ${stats.blocked ? `${stats.blocked} to other hosts, stopped` : 'all to the local server'}`,
    links: `${stats.links} internal links and ${stats.anchors} #anchors followed, at / and under ${SUB_PATH}`,
    phones: `${stats.pages} pages at ${PHONE.width} px: ${stats.textNodes} texts of ${MIN_TEXT_PX} px or more, ${stats.targets} tap targets`,
    languages: `${stats.switches} language switches followed to their counterparts and back`,
    print:
      `${stats.pdfs} PDFs, ${stats.pdfPages} US Letter pages: ${stats.handouts} handouts, ${stats.packetItems} packet items, ${stats.ruled} ruled-line blocks, ${stats.printedLinks} links to the outside` +
      (stats.tightest ? `; the fullest handout page is the last of ${stats.tightest.rel} (${stats.tightest.fill}% down the page)` : ''),
  };
  console.log('');
  for (const check of CHECKS) {
    const n = failures.filter((f) => f.check === check).length;
    console.log(`  ${check.padEnd(14)} ${n ? `FAILED (${n})` : 'ok'.padEnd(11)} ${summary[check]}`);
  }
  for (const [id, r] of Object.entries(stats.review)) {
    const pages = [...r.pages];
    console.log(`  to review: axe could not decide ${id} on ${pages.length} page(s), e.g. ${pages[0]}: ${r.why}`);
  }
  console.log('');
  if (failures.length) {
    console.log(`${failures.length} failures:`);
    failures.sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check) || a.page.localeCompare(b.page));
    for (const f of failures) console.log(`  FAIL ${f.check}: ${f.page}: ${f.detail}${f.times > 1 ? ` (×${f.times})` : ''}`);
    console.log('');
    if (process.env.HEARTH_BROWSER_PROFILE) console.log(timing);
    console.log(`browser checks failed: ${failures.length} failures over ${stats.pages} pages in ${seconds} s`);
    process.exit(1);
  }
  if (process.env.HEARTH_BROWSER_PROFILE) console.log(timing);
  console.log(`browser checks passed: ${CHECKS.length} checks over ${stats.pages} pages in ${seconds} s`);
}

main().catch((e) => {
  console.error(`the browser checks could not run: ${e.stack || e}`);
  process.exit(2);
});
