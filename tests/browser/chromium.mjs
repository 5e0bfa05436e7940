// Debian's Chromium as both browser checks launch it. Without the background-networking
// flags Chromium keeps calling home, which floods a closed network; the host rules make
// sure nothing leaves even if a page asks.
export const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
