// Phone-layout audit for the end-to-end tests: on a 390×844 touch viewport, screenshots the page
// and checks what a person on a phone would trip over — a page that scrolls sideways, blocks that
// stick out of the screen or spill out of their boxes, text squeezed to one character per line, and
// tap targets under WCAG 2.2's 24×24 CSS px minimum (2.5.8). Every problem names its element
// (tag#id.class "first 40 characters of text"), so a failing test says what to fix.
//
//   const context = await phoneContext(browser);
//   const page = await context.newPage();
//   await page.goto(url);
//   await checkPhoneLayout(page, 'train', { artifacts: ARTIFACTS }); // throws if anything is wrong
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

export const PHONE = { width: 390, height: 844 };

/** A browser context that looks like a phone: 390×844 CSS px at 2× density, touch, Japanese. */
export async function phoneContext(browser, extra = {}) {
  return browser.newContext({
    viewport: { ...PHONE }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ja-JP',
    ...extra,
  });
}

/**
 * Screenshots `page` to `${artifacts}/layout-${name}.png` (full page), then audits its layout.
 * Returns the list of problems, `{ kind, element, detail }`, and throws an AssertionError listing
 * them (with the list as `error.problems`) when there are any — unless `soft` is set, in which case
 * it only returns them. `ignore` is a list of CSS selectors whose elements (and their descendants)
 * are left out, for a known exception that a test wants to tolerate explicitly.
 *
 * Kinds: 'viewport' (no <meta name=viewport content=width=device-width>, so the page is not laid
 * out at the phone's width), 'page-overflow' (the page scrolls sideways), 'overflow' (a box's right
 * edge is off-screen, outside any sideways scroller), 'spill' (content spills out of a box whose
 * overflow-x is visible), 'one-char-lines' (text in a column too narrow to read) and 'target-size'.
 */
export async function checkPhoneLayout(page, name, { artifacts, soft = false, ignore = [] } = {}) {
  assert.ok(artifacts, 'checkPhoneLayout needs { artifacts }: the folder for the screenshot');
  mkdirSync(artifacts, { recursive: true });
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: `${artifacts}/layout-${name}.png`, fullPage: true });
  const width = page.viewportSize()?.width ?? null;
  const problems = await page.evaluate(audit, { width, ignore });
  if (problems.length && !soft) {
    const lines = problems.map((p) => `  - [${p.kind}] ${p.element}: ${p.detail}`);
    const error = new assert.AssertionError({
      message: `layout of '${name}' at ${width ?? '?'} px wide has ${problems.length} problem(s) `
        + `(screenshot: ${artifacts}/layout-${name}.png):\n${lines.join('\n')}`,
    });
    error.problems = problems;
    throw error;
  }
  return problems;
}

// Runs inside the page (serialised by page.evaluate, so it must be self-contained).
function audit({ width, ignore }) {
  const TOL = 1; // px of slack for subpixel layout
  const MIN_TARGET = 24; // WCAG 2.2 2.5.8 Target Size (Minimum)
  const W = width ?? window.innerWidth;
  const problems = [];
  const add = (kind, el, detail) => problems.push({ kind, element: el ? describe(el) : 'document', detail });
  const px = (n) => `${Math.round(n * 10) / 10}px`;

  // tag#id.class "text", for the report.
  function describe(el) {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    for (const c of el.classList ?? []) s += `.${c}`;
    if (el.tagName === 'INPUT') s += `[type=${el.type}]`;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const shown = text || el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('name') || '';
    return shown ? `${s} "${Array.from(shown).slice(0, 40).join('')}"` : s;
  }

  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) styles.set(el, (s = getComputedStyle(el)));
    return s;
  };
  const ignored = (el) => ignore.some((sel) => el.closest(sel));
  const isSvgInternal = (el) => el instanceof SVGElement && !(el instanceof SVGSVGElement && !el.ownerSVGElement);

  // Not rendered: no layout box (display:none here or above), inside [hidden], invisible, or
  // inside a closed <details> other than in its own <summary>.
  function notRendered(el) {
    if (el === document.body || el === document.documentElement) return false;
    const html = isSvgInternal(el) ? el.closest('svg') : el;
    if (html.offsetParent === null && style(html).position !== 'fixed') return true;
    if (el.closest('[hidden]')) return true;
    if (style(el).visibility !== 'visible') return true;
    for (let d = el.closest('details:not([open])'); d; d = d.parentElement?.closest('details:not([open])')) {
      const summary = d.querySelector(':scope > summary');
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  }

  // Hidden from the eye but not from assistive technology: the .visually-hidden / .sr-only
  // classes, or the CSS they stand for (clipped away, or a ≤1 px absolutely positioned box), or an
  // invisible control (opacity 0, e.g. a file input laid over its label).
  const hiddenCache = new Map();
  function visuallyHidden(el) {
    if (!el || el === document.body || el === document.documentElement) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const s = style(el);
    const r = el.getBoundingClientRect();
    const clipped = s.clip === 'rect(0px, 0px, 0px, 0px)' || /^inset\(50%/.test(s.clipPath)
      || ((s.position === 'absolute' || s.position === 'fixed') && s.overflowX !== 'visible'
        && (r.width <= 1 || r.height <= 1));
    const invisibleControl = el.matches('input, select, textarea, button') && Number(s.opacity) === 0;
    const hidden = el.classList.contains('visually-hidden') || el.classList.contains('sr-only')
      || clipped || invisibleControl || visuallyHidden(el.parentElement);
    hiddenCache.set(el, hidden);
    return hidden;
  }

  // The nearest ancestor that scrolls sideways (overflow-x auto/scroll) and fits on screen itself:
  // what is inside it may be wider than the screen, the reader scrolls it.
  function inFittingScroller(el) {
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const ox = style(a).overflowX;
      if (ox === 'auto' || ox === 'scroll') {
        const r = a.getBoundingClientRect();
        return r.right <= W + TOL && r.left >= -TOL;
      }
    }
    return false;
  }

  // ——— a. The page is laid out at the device width, and does not scroll sideways. Without
  // width=device-width a phone lays the page out 980 px wide and shrinks it: then every width
  // check below would be meaningless, so they are skipped and only that is reported.
  const meta = document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? '';
  const deviceWidth = /width\s*=\s*device-width/.test(meta);
  if (!deviceWidth) {
    add('viewport', null, `no <meta name="viewport" content="width=device-width"> (content: '${meta}'): `
      + `laid out ${window.innerWidth}px wide, not the device's ${W}px`);
  } else {
    const sw = document.documentElement.scrollWidth;
    if (sw > W + TOL) add('page-overflow', null, `document scrollWidth ${sw}px > viewport ${W}px: the page scrolls sideways`);
  }

  const all = [...document.body.querySelectorAll('*')].filter((el) => !ignored(el) && !notRendered(el));

  // ——— b. Text squeezed into a column so narrow that it reads one character per line.
  const squeezed = new Set();
  for (const el of all) {
    if (isSvgInternal(el) || visuallyHidden(el)) continue;
    const s = style(el);
    if (s.writingMode.startsWith('vertical') || s.writingMode.startsWith('sideways')) continue;
    const texts = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.data.trim());
    const chars = Array.from(texts.map((n) => n.data).join('').replace(/\s+/g, '')).length;
    if (chars < 2) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const fontSize = parseFloat(s.fontSize);
    const lineHeight = s.lineHeight === 'normal' ? 1.2 * fontSize : parseFloat(s.lineHeight);
    // Tall is measured on the text itself, not the box, which a table row or a stretched flex/grid
    // line may make tall around a short word. Text on 3 lines spans 2 line-heights plus the glyph
    // height of the last line (about 1em), so ≥ 2 line-heights + ½em means "on 3 lines or more".
    const tall = textHeight(texts);
    if (r.width < 4 * fontSize && tall >= 2 * lineHeight + 0.5 * fontSize) {
      squeezed.add(el);
      add('one-char-lines', el, `${chars} characters in a box ${px(r.width)} wide (< 4em = ${px(4 * fontSize)}), `
        + `their text ${px(tall)} tall (≥ 3 lines of ${px(lineHeight)})`);
      continue;
    }
    // The general test: lay a Range over each text node and count characters per line box.
    for (const node of texts) {
      const lines = charsPerLine(node);
      const single = lines.filter((n) => n <= 1).length;
      if (single >= 3 && single * 2 >= lines.length) {
        squeezed.add(el);
        add('one-char-lines', el, `its text wraps onto ${lines.length} lines, ${single} of them with one character`);
        break;
      }
    }
  }

  // Height from the top of the first to the bottom of the last of these text nodes' line boxes.
  function textHeight(nodes) {
    const range = document.createRange();
    let top = Infinity;
    let bottom = -Infinity;
    for (const node of nodes) {
      range.selectNodeContents(node);
      for (const q of range.getClientRects()) {
        if (q.width === 0 && q.height === 0) continue;
        top = Math.min(top, q.top);
        bottom = Math.max(bottom, q.bottom);
      }
    }
    return bottom > top ? bottom - top : 0;
  }

  // Non-whitespace characters on each line box of a text node (by the distinct tops of their
  // rectangles). Cheap first pass: a node on fewer than 3 lines, or with plenty of characters a
  // line, is not measured character by character.
  function charsPerLine(node) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
    const chars = Array.from(node.data.replace(/\s+/g, '')).length;
    if (tops.size < 3 || chars > 2 * tops.size) return [];
    const lines = new Map();
    let i = 0;
    for (const ch of node.data) { // by code point
      const end = i + ch.length;
      if (ch.trim()) {
        range.setStart(node, i);
        range.setEnd(node, end);
        const q = range.getBoundingClientRect();
        if (q.width > 0 || q.height > 0) {
          const top = Math.round(q.top);
          lines.set(top, (lines.get(top) ?? 0) + 1);
        }
      }
      i = end;
    }
    return [...lines.values()];
  }

  // ——— c. Blocks sticking out of the screen, and content spilling out of its box.
  const overflowing = [];
  const spilling = [];
  for (const el of deviceWidth ? all : []) {
    if (isSvgInternal(el) || visuallyHidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > W + TOL && !inFittingScroller(el)) {
      // Report the outermost box only: a 600 px table, not also each of its rows and cells.
      if (!overflowing.some((o) => o.contains(el))) overflowing.push(el);
      continue;
    }
    const s = style(el);
    if (s.display.startsWith('inline') && s.display !== 'inline-block' && s.display !== 'inline-flex'
      && s.display !== 'inline-grid' && s.display !== 'inline-table') continue;
    if (s.overflowX === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + TOL
      && !inFittingScroller(el)) spilling.push(el);
  }
  for (const el of overflowing) {
    const r = el.getBoundingClientRect();
    add('overflow', el, `right edge at ${px(r.right)} > viewport ${W}px (box ${px(r.width)} wide)`);
  }
  // A spill shows on every ancestor the content spills through: report the innermost box, and none
  // that merely contains a box already reported as off-screen, or text already reported as
  // squeezed (a one-character-wide column also spills its wider characters).
  for (const el of spilling) {
    if (squeezed.has(el)) continue;
    if (spilling.some((o) => o !== el && el.contains(o))) continue;
    if (overflowing.some((o) => el.contains(o))) continue;
    add('spill', el, `content ${el.scrollWidth}px wide spills out of its ${el.clientWidth}px box (overflow-x: visible)`);
  }

  // ——— d. Tap targets at least 24×24 CSS px (WCAG 2.2 2.5.8).
  const CONTROLS = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[tabindex]:not([tabindex="-1"])';
  const checked = new Set();
  function checkTarget(el, why = '') {
    if (checked.has(el) || ignored(el) || notRendered(el)) return;
    checked.add(el);
    const r = el.getBoundingClientRect();
    if (r.width >= MIN_TARGET - 0.01 && r.height >= MIN_TARGET - 0.01) return;
    add('target-size', el, `${why}tap target ${px(r.width)}×${px(r.height)} < ${MIN_TARGET}×${MIN_TARGET}px`);
  }
  // A link in running text is exempt (2.5.8's inline exception): an inline <a> whose nearest block
  // is a paragraph or list item with text of its own.
  function inlineLink(a) {
    if (a.tagName !== 'A' || style(a).display !== 'inline') return false;
    let block = a.parentElement;
    while (block && style(block).display.startsWith('inline')) block = block.parentElement;
    if (!block || !['P', 'LI'].includes(block.tagName)) return false;
    const own = (a.textContent ?? '').replace(/\s+/g, '');
    return (block.textContent ?? '').replace(/\s+/g, '').length > own.length;
  }
  for (const el of document.body.querySelectorAll(CONTROLS)) {
    if (ignored(el)) continue;
    const hiddenControl = el.matches('input, select, textarea, button')
      && (style(el).display === 'none' || visuallyHidden(el));
    if (hiddenControl) {
      // A hidden control (e.g. a styled file or checkbox input) is tapped through its label.
      for (const label of el.labels ?? []) {
        if (!visuallyHidden(label)) checkTarget(label, `label of hidden ${describe(el)}: `);
      }
      continue;
    }
    if (notRendered(el) || visuallyHidden(el) || inlineLink(el)) continue;
    checkTarget(el);
  }
  return problems;
}

/** The controls on screen to which Chromium's accessibility tree gives no name — what a screen
 * reader would announce as just "button" or "edit text" — as the start of their HTML. */
export async function unnamedControls(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const roles = new Set(['button', 'textbox', 'combobox', 'checkbox', 'slider', 'spinbutton', 'link', 'radio', 'listbox',
      'menuitem', 'switch', 'tab', 'searchbox', 'progressbar', 'meter']);
    const out = [];
    for (const n of nodes) {
      if (n.ignored || !roles.has(n.role?.value) || String(n.name?.value ?? '').trim()) continue;
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId })
        .catch(() => ({ outerHTML: `(${n.role.value}, node ${n.backendDOMNodeId})` }));
      out.push(outerHTML.slice(0, 120));
    }
    return out;
  } finally {
    await cdp.detach();
  }
}
