/* hearth search box: a WAI-ARIA 1.2 combobox over the index in assets/search/<lang>.js
   and its parts in assets/search/<lang>/, loaded as the box needs them: the head (the
   entries) when the box first gets focus, a word part (w-KEY, the words of one first
   letter) when a query has a word of that letter, an excerpt part (x-N) when a result
   from it shows. Ranks as Index::search in src/search.rs. */
(function () {
  'use strict';
  var own = Object.prototype.hasOwnProperty, idx = {}, waiting = [], asked = {};
  var old = window.hearthSearch, queued = (old && old.q) || [];

  // One index (a language and audience) as its parts arrive.
  function index(key) {
    return idx[key] || (idx[key] = { w: {}, s: {}, ws: {}, x: [], has: {}, stop: {}, parts: {} });
  }
  window.hearthSearch = {
    q: [],
    add: function (l, a, part, d) {
      var x = index(l + '/' + a), k, i;
      if (part === 'head') {
        x.e = d.e;
        x.n = d.x;
        // The words the index left out as too common (src/search.rs): a query drops them too.
        d.t.split(' ').forEach(function (w) { if (w) x.stop[w] = 1; });
        d.p.forEach(function (k) { x.parts[k] = 1; });
      } else if (part.charAt(0) === 'w') {
        for (k in d.w) if (own.call(d.w, k)) x.w[k] = d.w[k];
        for (k in d.s) if (own.call(d.s, k)) {
          x.s[k] = d.s[k];
          for (i = 0; i < d.s[k].length; i++) x.ws[d.s[k][i]] = k;
        }
      } else x.x[+part.slice(2)] = d;
      x.has[part] = 1;
      waiting.forEach(function (f) { f(); });
    }
  };
  queued.forEach(function (x) { window.hearthSearch.add.apply(window.hearthSearch, x); });

  // The word part a word is in: its first letter, or `u` and its code point in hex
  // (part_key in src/search.rs).
  function partOf(w) {
    var c = w.codePointAt(0);
    return 'w-' + (/^[a-z0-9]$/.test(w.charAt(0)) ? w.charAt(0) : 'u' + c.toString(16));
  }

  var SPLIT = /[^\p{Alphabetic}\p{N}'\u2019]+/u, WORD = /[\p{Alphabetic}\p{N}'\u2019]+/gu;
  function fold(s) { return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(); }
  function trim(w) { return w.replace(/^['\u2019]+|['\u2019]+$/g, ''); }
  function bytes(s) { return unescape(encodeURIComponent(s)).length; }

  // The longest stem of the index that `w` starts with, of three bytes or more.
  function longest(d, w) {
    var c = Array.from(w), n, p;
    for (n = c.length; n > 0; n--) {
      p = c.slice(0, n).join('');
      if (bytes(p) < 3) break;
      if (own.call(d.s, p)) return p;
    }
    return null;
  }

  // The entries a query finds, best first (at most 8), and the words it matched. Each
  // query word scores an entry by its best tier (4: the word in the title, 3: another
  // word of its stem in the title, 2: the word in the body, 1: its stem in the body),
  // 100 points a tier, plus the body's occurrences (the word's own double) up to 99; a
  // posting's weight is its body count, plus 10 when the title has the word. While a word
  // is being typed, the words it begins count as its stem.
  // The words of a query the index can match: folded, stop words and single letters left out.
  function terms(d, query) {
    var out = [];
    query.split(SPLIT).forEach(function (w) {
      w = fold(trim(w));
      if (w && Array.from(w).length >= 2 && !d.stop[w]) out.push(w);
    });
    return out;
  }

  function search(d, query) {
    var score = {}, hit = {}, k, terms_ = terms(d, query);
    var typing = /[\p{Alphabetic}\p{N}]$/u.test(query);
    terms_.forEach(function (w, t) {
      var group = {}, met = {}, stem = own.call(d.w, w) ? d.ws[w] : longest(d, w), x, p, j, e, v, tier, m;
      if (stem && own.call(d.s, stem)) d.s[stem].forEach(function (x) { group[x] = 1; });
      if (typing && t === terms_.length - 1) for (x in d.w) if (own.call(d.w, x) && x.indexOf(w) === 0) group[x] = 1;
      for (x in group) {
        hit[x] = 1;
        p = d.w[x];
        for (j = 0; j < p.length; j += 2) {
          e = p[j]; v = p[j + 1];
          tier = (v >= 10 ? 3 : 1) + (x === w ? 1 : 0);
          m = met[e] || (met[e] = [0, 0]);
          if (tier > m[0]) m[0] = tier;
          m[1] += (v % 10) * (x === w ? 2 : 1);
        }
      }
      for (e in met) score[e] = (score[e] || 0) + met[e][0] * 100 + Math.min(met[e][1], 99);
    });
    var found = [];
    for (k in score) found.push(+k);
    found.sort(function (a, b) { return score[b] - score[a] || a - b; });
    return { list: found.slice(0, 8), hit: hit };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  // `text` with the words of `hit` in <mark>.
  function marked(tag, cls, text, hit) {
    var e = el(tag, cls), at = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!hit[fold(trim(m[0]))]) continue;
      e.appendChild(document.createTextNode(text.slice(at, m.index)));
      e.appendChild(el('mark', '', m[0]));
      at = m.index + m[0].length;
    }
    e.appendChild(document.createTextNode(text.slice(at)));
    return e;
  }

  function setup(box) {
    var ds = box.dataset, input = box.querySelector('input'), list = box.querySelector('[role=listbox]');
    var panel = box.querySelector('.search-panel'), empty = box.querySelector('.search-empty');
    var status = box.querySelector('[role=status]'), key = ds.lang + '/' + ds.audience;
    // `held`: the last query waits for a part of the index; its results show when it comes.
    var active = -1, held = false, timer = 0, said = '';

    function say(text) {
      clearTimeout(timer);
      timer = setTimeout(function () { if (text !== said) status.textContent = said = text; }, 400);
    }
    function open(on) {
      panel.hidden = !on;
      input.setAttribute('aria-expanded', on && !list.hidden ? 'true' : 'false');
      if (!on) move(-1);
    }
    function options() { return list.querySelectorAll('[role=option]'); }
    function move(to) {
      var o = options(), i;
      for (i = 0; i < o.length; i++) o[i].setAttribute('aria-selected', i === to ? 'true' : 'false');
      active = to;
      if (o[to]) {
        input.setAttribute('aria-activedescendant', o[to].id);
        o[to].scrollIntoView({ block: 'nearest' });
      } else input.removeAttribute('aria-activedescendant');
    }
    // Asks for a part of this box's index, once; true while it has not arrived.
    function need(part) {
      if (index(key).has[part]) return false;
      var src = ds.root + 'assets/search/' + ds.lang + (ds.audience === 'facilitator' ? '-facilitator' : '') + (part === 'head' ? '' : '/' + part) + '.js';
      if (!asked[src]) {
        asked[src] = 1;
        var s = document.createElement('script');
        s.src = src;
        s.onerror = function () { say(ds.none); };
        document.head.appendChild(s);
      }
      return true;
    }
    function update(keep) {
      var q = input.value, d = index(key), was = active, missing = false;
      if (!q.trim()) {
        held = false;
        list.textContent = '';
        say('');
        return open(false);
      }
      held = true;
      if (need('head')) { say(ds.loading); return open(false); }
      terms(d, q).forEach(function (w) {
        var part = partOf(w);
        if (d.parts[part.slice(2)] && need(part)) missing = true;
      });
      if (missing) { say(ds.loading); return; }
      held = false;
      var r = search(d, q);
      list.textContent = '';
      active = -1;
      input.removeAttribute('aria-activedescendant');
      r.list.forEach(function (n, i) {
        var e = d.e[n], a = el('a'), head = el('span', 'search-head'), part = Math.floor(n / d.n), x;
        a.href = ds.root + e[0];
        a.id = 'search-o' + i;
        a.tabIndex = -1;
        a.setAttribute('role', 'option');
        a.setAttribute('aria-selected', 'false');
        head.appendChild(marked('span', 'search-title', e[1], r.hit));
        if (e[3] === 'handout') head.appendChild(el('span', 'search-kind', ds.handout));
        if (e[2]) head.appendChild(el('span', 'search-context', e[2]));
        a.appendChild(head);
        // The excerpt shows once its part has arrived; the result is usable before.
        x = need('x-' + part) ? '' : d.x[part][n % d.n];
        if (x) a.appendChild(marked('span', 'search-excerpt', x, r.hit));
        list.appendChild(a);
      });
      var n = r.list.length;
      list.hidden = !n;
      empty.hidden = !!n;
      say(n ? ds['r' + n] : ds.none);
      open(true);
      if (keep && was >= 0 && was < n) move(was);
    }

    // A part arrived: show the results the query waited for, or the open results again
    // (now with their excerpts) on the same result as before; closed results stay closed.
    waiting.push(function () {
      if (input.value && document.activeElement === input && (held || !panel.hidden)) update(true);
    });
    input.addEventListener('focus', function () {
      need('head');
      if (input.value && panel.hidden) update();
    });
    input.addEventListener('input', function () { update(false); });
    input.addEventListener('keydown', function (ev) {
      var o = options(), n = o.length, shown = !panel.hidden;
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (!shown) { update(); o = options(); n = o.length; if (!n) return; }
        if (!n) return;
        if (ev.key === 'ArrowDown') move(active + 1 >= n ? 0 : active + 1);
        else move(active <= 0 ? n - 1 : active - 1);
      } else if (ev.key === 'Enter') {
        if (shown && n) {
          ev.preventDefault();
          location.href = o[active < 0 ? 0 : active].href;
        }
      } else if (ev.key === 'Escape') {
        if (shown) { ev.preventDefault(); open(false); }
        else if (input.value) { ev.preventDefault(); input.value = ''; update(); }
      } else if (ev.key === 'Tab') open(false);
    });
    // A click on a result must not blur the box first; a click elsewhere closes it.
    panel.addEventListener('mousedown', function (ev) { if (!ev.target.closest('.search-empty a')) ev.preventDefault(); });
    document.addEventListener('pointerdown', function (ev) { if (!box.contains(ev.target)) open(false); });
    box.hidden = false;
  }

  function start() { [].forEach.call(document.querySelectorAll('.search[data-lang]'), setup); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
