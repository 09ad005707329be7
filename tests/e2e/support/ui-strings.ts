// Finds the other language's interface text on a page: the locale files say what is interface text, so
// data (Chinese names and course titles on an English page, codes, usernames, the node id) never counts.
import type { Page } from 'playwright-core';
import { locales } from '../../../src/i18n/i18n';

type Tree = { [key: string]: string | Tree };

export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const where = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(where, value);
    else for (const [k, v] of flatten(value, where)) out.set(k, v);
  }
  return out;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
// Punctuation and symbols that frame a string on the page without being part of it.
const EDGES =
  /^[\s:：*·•()（）.,，。!?！？▲▼…\-–—/|#"'“”‘’「」《》、;；]+|[\s:：*·•()（）.,，。!?！？▲▼…\-–—/|#"'“”‘’「」《》、;；]+$/g;

export const tidy = (text: string) => text.replace(/\s+/g, ' ').replace(EDGES, '').trim();

/** Pieces of a locale string that reach the page verbatim: the text between interpolations and nesting. */
function fragments(value: string): string[] {
  return value
    .split(/\{\{[^}]*\}\}|\$t\([^)]*\)|<[^>]+>/)
    .map(tidy)
    .filter(Boolean);
}

export interface UiString {
  key: string;
  text: string;
  /** A single word (or a short Chinese term) counts only when a piece of the page is exactly it. */
  whole: boolean;
}

/**
 * The interface strings of `from` that must not show on a page in the other language: fragments of its
 * locale values that differ from the other locale's value of the same key and appear nowhere in the
 * other locale (so "GPA" inside a Chinese label, or the switcher's native "中文", is not flagged).
 */
export function foreignStrings(from: 'en' | 'zh-CN'): UiString[] {
  const to = from === 'en' ? 'zh-CN' : 'en';
  const mine = flatten(locales[from] as Tree);
  const theirs = flatten(locales[to] as Tree);
  const theirText = [...theirs.values()].join('\n');
  const seen = new Set<string>();
  const out: UiString[] = [];
  for (const [key, value] of mine) {
    if (theirs.get(key) === value) continue;
    for (const text of fragments(value)) {
      const words = text.match(/[A-Za-z]+/g) ?? [];
      const belongs = from === 'en' ? words.some((w) => w.length >= 2) : CJK.test(text);
      if (!belongs || seen.has(text) || theirText.includes(text)) continue;
      seen.add(text);
      const whole = from === 'en' ? words.length <= 1 : [...text].length <= 3;
      out.push({ key, text, whole });
    }
  }
  return out;
}

/**
 * Every piece of text a user can meet on the page: text nodes, the accessible-name and hint attributes,
 * option labels, button values, confirmation questions and the document title. Text marked as another
 * language with a lang attribute (the language switcher's "English" / "中文") is left out.
 */
const COLLECT = `(() => {
  const pageLang = document.documentElement.lang;
  const own = (el) => { const marked = el && el.closest('[lang]'); return !marked || marked.lang === pageLang; };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, template, noscript') || !own(el)) continue;
    const text = n.nodeValue.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  const attrs = ['title', 'aria-label', 'placeholder', 'alt', 'data-confirm', 'aria-roledescription'];
  for (const el of document.body.querySelectorAll('*')) {
    if (!own(el)) continue;
    for (const name of attrs) { const v = el.getAttribute(name); if (v && v.trim()) out.push(v.trim()); }
    for (const attr of el.attributes) if (/^data-.*-label$/.test(attr.name) && attr.value.trim()) out.push(attr.value.trim());
    if (el.matches('input[type=submit], input[type=button], input[type=reset], button[value]') && el.value) out.push(el.value);
  }
  return out;
})()`;

export async function pageTexts(page: Page): Promise<string[]> {
  return (await page.evaluate(COLLECT)) as string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The foreign interface strings found among the page's texts, as "text" (key) lines. */
export function findForeign(texts: string[], strings: UiString[]): string[] {
  const pieces = new Set(texts.map(tidy));
  const joined = texts.join('\n');
  const found: string[] = [];
  for (const s of strings) {
    let hit: boolean;
    if (s.whole) hit = pieces.has(s.text);
    else if (CJK.test(s.text)) hit = joined.includes(s.text);
    else hit = new RegExp(`(?<![A-Za-z])${escape(s.text)}(?![A-Za-z])`).test(joined);
    if (hit) found.push(`"${s.text}" (${s.key})`);
  }
  return found;
}
