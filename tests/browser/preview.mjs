#!/usr/bin/env node
// hearth's live preview in Debian's Chromium: what an author sees while `hearth serve`
// runs and they save files.
//
//   node preview.mjs HEARTH PROJECT_DIR [EDITIONS_DIR]
//
// Runs `HEARTH serve --port 0` on PROJECT_DIR (a throwaway copy of the `bilingual`
// fixture: this script edits its `content/en/about.md`) and drives /usr/bin/chromium
// through playwright-core. The script never reloads a page or clicks anything: every
// change it waits for must reach the page by itself, over hearth's events stream.
//
//   edit      a saved change to the page's source shows on the page
//   broken    invalid front matter brings up the error panel, naming the file and line;
//             the panel is opaque, passes axe at 360 px and on a desktop, and the fix
//             takes it away and shows the fixed text
//   hide      the panel's button takes it away, and shows the page beneath
//   first     with a first build that fails, `/` and a page show the errors (also
//             without scripts); the fix turns both into the site
//   edition   with EDITIONS_DIR (a copy of the `editions` fixture), `serve --edition
//             alpha` shows alpha's own organisation, and a save to its edition file
//             shows on the open page by itself
//
// Each wait has its own bound (WAIT). It prints a line per step and exits 1 on the first
// failure, or 2 when it cannot run at all. The server is always stopped.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

/** How long any one thing may take to show: a rebuild here takes well under a second. */
const WAIT = 10_000;
/** The whole check; past this something hangs. */
const LIMIT = 60_000;

const SOURCE = 'content/en/about.md';
const PAGE = '/en/about/';
const GOOD_TITLE = 'title: About these materials';
const BAD_TITLE = 'title: [About these materials';

function usage(message) {
  console.error(`${message}\nusage: node preview.mjs HEARTH PROJECT_DIR`);
  process.exit(2);
}

const [HEARTH, PROJECT, EDITIONS] = process.argv.slice(2);
if (!HEARTH || !PROJECT) usage('which hearth, and which project?');
if (!fs.existsSync(HEARTH)) usage(`no hearth at ${HEARTH}`);
if (!fs.existsSync(path.join(PROJECT, SOURCE))) usage(`${PROJECT} has no ${SOURCE}: give a copy of tests/fixtures/bilingual`);
if (!fs.existsSync(CHROMIUM)) usage(`no Chromium at ${CHROMIUM}: apt-get install chromium`);

const source = path.join(PROJECT, SOURCE);
const read = () => fs.readFileSync(source, 'utf8');
/** Saves the source as an editor would: the whole file at once. */
const save = (text) => fs.writeFileSync(source, text);

class Failed extends Error {}
function check(ok, what) {
  if (!ok) throw new Failed(what);
}

/** Bounded: what `promise` gives, or a failure saying what did not happen. */
async function within(what, promise) {
  try {
    return await promise;
  } catch (e) {
    throw new Failed(`${what} (${e.message.split('\n')[0]})`);
  }
}

// ---------------------------------------------------------------------------------------
// The server

const servers = new Set();

/** Starts `hearth serve` on PROJECT (or `root`, with `extra` arguments) and waits for the
 * address it serves at. */
function startServer(root = PROJECT, extra = []) {
  const child = spawn(HEARTH, ['serve', '--port', '0', '--root', root, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(child);
  const server = { child, log: [] };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => server.log.push(d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Failed(`hearth serve printed no address in ${WAIT} ms:\n${server.log.join('')}`)), WAIT);
    child.on('exit', (code) => reject(new Failed(`hearth serve exited (${code}):\n${server.log.join('')}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      server.log.push(line + '\n');
      const m = line.match(/^Serving the site at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        server.origin = m[1];
        resolve(server);
      }
    });
  });
}

/** Stops a server: Ctrl-C, then SIGKILL if it has not stopped in a few seconds. */
async function stopServer(server) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return servers.delete(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
  servers.delete(child);
}

// Whatever happens, no server outlives the check.
process.on('exit', () => {
  for (const child of servers) child.kill('SIGKILL');
});

// ---------------------------------------------------------------------------------------
// The checks

/** A page of `context` at `url`, failing the check on any script error in it. */
async function open(context, url) {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  const response = await within(`open ${url}`, page.goto(url));
  return { page, response };
}

/** Waits for `text` on the page, without acting on it. */
async function shows(page, text, why) {
  await within(`${why}: ${JSON.stringify(text)} never showed on ${page.url()}`, page.getByText(text).first().waitFor());
}

/**
 * Marks the page's window, so that `reloaded` can tell a new document from this one.
 * (Counting `load` events raced: new text can show before its `load` fires.)
 */
async function mark(page) {
  await page.evaluate(() => { window.hearthPreviewMark = true; });
}

/** Checks that the page is a new document since `mark`: a reload drops the mark. */
async function reloaded(page, why) {
  await within(why, page.waitForFunction(() => window.hearthPreviewMark === undefined));
}

/** Waits for the error panel (in `#hearth-overlay`'s shadow root, which locators
 * enter) and returns its text. */
async function overlay(page, why) {
  const box = page.locator('#hearth-overlay .panel');
  await within(`${why}: no #hearth-overlay on ${page.url()}`, box.waitFor({ state: 'visible' }));
  return box.innerText();
}

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The error panel as a reader meets it at `width` px: opaque, so the page does not
 * show through, and free of axe's WCAG A and AA violations. */
async function panelReadable(page, width) {
  await page.setViewportSize({ width, height: 800 });
  const background = await page.locator('#hearth-overlay .panel').evaluate((el) => getComputedStyle(el).backgroundColor);
  check(/^rgb\(/.test(background), `at ${width} px the panel's background is ${background}: the page shows through`);
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run({ include: [['#hearth-overlay']] }, { runOnly: { type: 'tag', values: tags } }),
    AXE_TAGS,
  );
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  check(found.length === 0, `at ${width} px axe finds on the error panel:\n${found.join('\n')}`);
}

async function noOverlay(page, why) {
  await within(`${why}: #hearth-overlay stayed on ${page.url()}`, page.locator('#hearth-overlay').waitFor({ state: 'detached' }));
}

function noScriptErrors(page) {
  check(page.errors.length === 0, `a script failed on ${page.url()}: ${page.errors.join('; ')}`);
}

const steps = [];
async function step(name, what, run) {
  const started = Date.now();
  await run();
  const ms = Date.now() - started;
  steps.push(name);
  console.log(`  ${name.padEnd(8)} ok  ${what} (${ms} ms)`);
}

async function main() {
  const started = Date.now();
  setTimeout(() => {
    console.error(`the preview check could not finish in ${LIMIT / 1000} s`);
    process.exit(2);
  }, LIMIT).unref();
  const { chromium } = await import('playwright-core');
  const original = read();
  check(original.includes(GOOD_TITLE), `${SOURCE} does not start with "${GOOD_TITLE}"`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  console.log(`hearth preview check: ${HEARTH} serve, Chromium ${browser.version()}`);
  let server;
  try {
    server = await startServer();
    const context = await browser.newContext();
    const { page } = await open(context, server.origin + PAGE);
    await shows(page, 'Who made this', 'the page');

    await step('edit', `a save to ${SOURCE} shows on ${PAGE} by itself`, async () => {
      await mark(page);
      save(read() + '\nA sentence saved while the page was open.\n');
      await shows(page, 'A sentence saved while the page was open.', 'after a save');
      await reloaded(page, 'the new text showed, yet the page never reloaded');
      noScriptErrors(page);
    });

    await step('broken', 'invalid front matter shows the overlay naming the file; the fix removes it', async () => {
      save(read().replace(GOOD_TITLE, BAD_TITLE));
      const text = await overlay(page, 'after breaking the front matter');
      check(text.includes(`${SOURCE}:2:8`), `the overlay does not name ${SOURCE}:2:8:\n${text}`);
      check(text.includes('could not rebuild'), `the overlay does not say the rebuild failed:\n${text}`);
      await shows(page, 'A sentence saved while the page was open.', 'under the overlay, the last good page');
      await panelReadable(page, 360);
      await panelReadable(page, 1280);
      save(read().replace(BAD_TITLE, GOOD_TITLE) + '\nFixed, and one more sentence.\n');
      await shows(page, 'Fixed, and one more sentence.', 'after the fix');
      await noOverlay(page, 'after the fix');
      noScriptErrors(page);
    });

    await step('hide', 'the panel\'s button hides it, showing the page beneath', async () => {
      save(read().replace(GOOD_TITLE, BAD_TITLE));
      await overlay(page, 'after breaking the front matter again');
      await page.getByRole('button', { name: 'Hide these errors' }).click();
      await noOverlay(page, 'after pressing "Hide these errors"');
      await mark(page);
      save(read().replace(BAD_TITLE, GOOD_TITLE));
      await reloaded(page, 'the fix did not reload the page');
      noScriptErrors(page);
    });
    await context.close();
    await stopServer(server);

    await step('first', 'a failing first build shows its errors at / and on a page, then the site once fixed', async () => {
      save(read().replace(GOOD_TITLE, BAD_TITLE));
      server = await startServer();
      const context = await browser.newContext();
      const home = await open(context, server.origin + '/');
      const about = await open(context, server.origin + PAGE);
      for (const { page, response } of [home, about]) {
        check(response.status() === 503, `${page.url()} answered ${response.status()}, not 503, before any good build`);
        const text = await overlay(page, 'with a failing first build');
        check(text.includes(`${SOURCE}:2:8`), `${page.url()} does not name ${SOURCE}:2:8:\n${text}`);
        check(text.includes('could not build'), `${page.url()} does not say the build failed:\n${text}`);
        // With no page beneath, there is nothing to hide the errors for.
        check((await page.getByRole('button', { name: 'Hide these errors' }).count()) === 0, `${page.url()} offers to hide the errors of a site that has no page yet`);
      }
      // The errors are on the page itself, for a browser without scripts too.
      const plain = await browser.newContext({ javaScriptEnabled: false });
      const bare = await open(plain, server.origin + PAGE);
      check((await bare.page.locator('#hearth-overlay .panel').innerText()).includes(`${SOURCE}:2:8`), 'without scripts, the page shows no errors');
      await plain.close();

      save(read().replace(BAD_TITLE, GOOD_TITLE));
      await shows(home.page, 'Enter the English site', 'after the fix, at /');
      await shows(about.page, 'Who made this', `after the fix, at ${PAGE}`);
      for (const { page } of [home, about]) {
        await noOverlay(page, 'after the fix');
        noScriptErrors(page);
      }
      await context.close();
    });

    if (EDITIONS) {
      await stopServer(server);
      await step('edition', 'serve --edition shows the edition, and a save to its file shows by itself', async () => {
        const file = path.join(EDITIONS, 'editions', 'alpha.yaml');
        const text = fs.readFileSync(file, 'utf8');
        check(text.includes('es: Centro Alfa'), `${file} does not name Centro Alfa`);
        server = await startServer(EDITIONS, ['--edition', 'alpha']);
        const context = await browser.newContext();
        const { page } = await open(context, server.origin + '/es/welcome/');
        await shows(page, 'Centro Alfa', 'the edition\'s footer');
        await mark(page);
        fs.writeFileSync(file, text.replace('es: Centro Alfa', 'es: Centro Alfa Renovado'));
        await shows(page, 'Centro Alfa Renovado', 'after a save to the edition file');
        await reloaded(page, 'the new name showed, yet the page never reloaded');
        noScriptErrors(page);
        await context.close();
      });
    }
  } finally {
    save(original);
    if (server) await stopServer(server);
    await browser.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`preview check passed: ${steps.length} steps in ${seconds} s`);
}

main().catch((e) => {
  if (e instanceof Failed) {
    console.error(`preview check FAILED: ${e.message}`);
    process.exit(1);
  }
  console.error(`the preview check could not run: ${e.stack || e}`);
  process.exit(2);
});
