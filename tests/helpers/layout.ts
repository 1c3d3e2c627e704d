/**
 * Measures a screen's text in real Chromium: every element that shows text of its own, its font size, and
 * whether it is clipped (cut by an ancestor that hides overflow, by the viewport, or by its own ellipsis).
 */
import type { Page } from 'playwright-core';

export interface TextBox {
  text: string;
  fontSize: number;
  /** Why this text is not fully visible, or null. */
  clipped: string | null;
  testId: string | null;
}

/**
 * Every visible text of the page (or under `selector`), with its size and clipping. `scrolls`: the page
 * scrolls (a phone page), so text below the fold is not clipped; otherwise (a TV, a kiosk) it is.
 */
export async function measureTexts(page: Page, selector = 'body', scrolls = false): Promise<TextBox[]> {
  return page.evaluate(([sel, pageScrolls]) => {
    const root = document.querySelector(sel);
    if (!root) return [];
    const out: { text: string; fontSize: number; clipped: string | null; testId: string | null }[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const all = [root, ...Array.from(root.querySelectorAll('*'))] as HTMLElement[];
    for (const el of all) {
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!own) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // the text's own box (a range over the text nodes), which can be wider than a shrunk element
      const range = document.createRange();
      range.selectNodeContents(el);
      const t = range.getBoundingClientRect();
      let clipped: string | null = null;
      if (t.left < -0.5 || t.right > vw + 0.5 || (!pageScrolls && (t.top < -0.5 || t.bottom > vh + 0.5))) clipped = 'outside the viewport';
      if (!clipped && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) && style.overflow !== 'visible') clipped = 'overflows its own box';
      for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
        if (pageScrolls && (a === document.body || a === document.documentElement)) break;
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const ar = a.getBoundingClientRect();
        if (t.left < ar.left - 0.5 || t.right > ar.right + 0.5 || t.top < ar.top - 0.5 || t.bottom > ar.bottom + 0.5) clipped = `cut by ${a.className || a.tagName}`;
      }
      const testId = el.closest('[data-testid]')?.getAttribute('data-testid') ?? null;
      out.push({ text: own.slice(0, 60), fontSize: parseFloat(style.fontSize), clipped, testId });
    }
    return out;
  }, [selector, scrolls] as const);
}

/** The texts smaller than `min` px, or clipped: what a test expects to be empty. */
export async function textProblems(page: Page, min: number, selector = 'body', scrolls = false): Promise<string[]> {
  return (await measureTexts(page, selector, scrolls))
    .filter((b) => b.fontSize < min - 0.05 || b.clipped)
    .map((b) => `"${b.text}" ${b.fontSize.toFixed(1)}px${b.clipped ? ` (${b.clipped})` : ''}`);
}

/** Whether the page scrolls sideways (wider than the screen). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
