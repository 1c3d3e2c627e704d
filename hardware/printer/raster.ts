import { existsSync } from 'node:fs';
import path from 'node:path';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

export type Align = 'left' | 'center' | 'right';

/** Something drawn into a raster image (full paper width, 1 px = 1 printer dot). */
export type RasterItem =
  | { kind: 'text'; text: string; px: number; bold?: boolean; align: Align; invert?: boolean }
  | { kind: 'qr'; data: string; module: number }
  | { kind: 'barcode'; data: string; height: number }
  | { kind: 'gap'; px: number }
  | { kind: 'rule' };

const FONT_DIR = process.env.HALLHUB_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';
export const SANS = 'HallHub Sans';
export const MONO = 'HallHub Mono';
let fontsReady = false;

/** Registers the DejaVu fonts (Vietnamese coverage) once. Throws when they are missing. */
export function ensureFonts(): void {
  if (fontsReady) return;
  const files: [string, string][] = [
    ['DejaVuSans.ttf', SANS],
    ['DejaVuSans-Bold.ttf', SANS],
    ['DejaVuSansMono.ttf', MONO],
    ['DejaVuSansMono-Bold.ttf', MONO],
  ];
  for (const [file, family] of files) {
    const full = path.join(FONT_DIR, file);
    if (!existsSync(full)) throw new Error(`font ${full} is missing: install Debian's fonts-dejavu-core (or set HALLHUB_FONT_DIR)`);
    GlobalFonts.registerFromPath(full, family);
  }
  fontsReady = true;
}

const fontOf = (px: number, bold = false) => `${bold ? 'bold ' : ''}${px}px "${SANS}"`;
const lineHeight = (px: number) => Math.ceil(px * 1.28);
const MARGIN = 4;

/** Splits text into lines that fit `width` px in the given font (words longer than a line are cut). */
export function wrapText(ctx: SKRSContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (ctx.measureText(candidate).width <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (ctx.measureText(line).width > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && ctx.measureText(line.slice(0, cut)).width > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}

interface Placed {
  height: number;
  draw(ctx: SKRSContext2D, y: number): void;
}

function place(ctx: SKRSContext2D, item: RasterItem, width: number): Placed {
  switch (item.kind) {
    case 'gap':
      return { height: item.px, draw: () => undefined };
    case 'rule':
      return { height: 12, draw: (c, y) => c.fillRect(MARGIN, y + 5, width - 2 * MARGIN, 2) };
    case 'text': {
      ctx.font = fontOf(item.px, item.bold);
      const pad = item.invert ? 12 : 0;
      const lines = wrapText(ctx, item.text, width - 2 * MARGIN - 2 * pad);
      const lh = lineHeight(item.px);
      const height = lines.length * lh + 2 * pad;
      return {
        height,
        draw(c, y) {
          c.font = fontOf(item.px, item.bold);
          c.textBaseline = 'alphabetic';
          if (item.invert) {
            const boxWidth = Math.min(width - 2 * MARGIN, Math.max(...lines.map((l) => c.measureText(l).width)) + 2 * pad + 8);
            const x = item.align === 'left' ? MARGIN : item.align === 'right' ? width - MARGIN - boxWidth : (width - boxWidth) / 2;
            c.fillRect(Math.round(x), y, Math.round(boxWidth), height);
            c.fillStyle = '#fff';
          }
          lines.forEach((line, i) => {
            const w = c.measureText(line).width;
            const x = item.align === 'left' ? MARGIN + pad : item.align === 'right' ? width - MARGIN - pad - w : (width - w) / 2;
            c.fillText(line, Math.round(x), y + pad + i * lh + Math.round(item.px * 0.98));
          });
          c.fillStyle = '#000';
        },
      };
    }
    case 'qr': {
      const qr = QRCode.create(item.data, { errorCorrectionLevel: 'M' });
      const n = qr.modules.size;
      const quiet = 2 * item.module;
      const size = n * item.module;
      return {
        height: size + 2 * quiet,
        draw(c, y) {
          const x0 = Math.round((width - size) / 2);
          for (let r = 0; r < n; r++) {
            for (let col = 0; col < n; col++) {
              if (qr.modules.get(r, col)) c.fillRect(x0 + col * item.module, y + quiet + r * item.module, item.module, item.module);
            }
          }
        },
      };
    }
    case 'barcode': {
      const raw = bwipjs.raw({ bcid: 'code128', text: item.data });
      const first = raw[0];
      if (!first || !('sbs' in first)) throw new Error('CODE128 encoder returned no bars');
      const sbs = first.sbs;
      const modules = sbs.reduce((a, b) => a + b, 0);
      const quietModules = 10;
      // Whole dots per module, so every bar keeps its exact width ratio.
      const unit = Math.max(1, Math.floor((width - 2 * MARGIN) / (modules + 2 * quietModules)));
      const barsWidth = modules * unit;
      return {
        height: item.height + 8,
        draw(c, y) {
          let x = Math.round((width - barsWidth) / 2);
          sbs.forEach((w, i) => {
            if (i % 2 === 0) c.fillRect(x, y + 4, w * unit, item.height);
            x += w * unit;
          });
        },
      };
    }
  }
}

/** Draws the items top to bottom into one white image `width` dots wide; returns it as PNG. */
export function rasterize(items: RasterItem[], width: number): Buffer {
  ensureFonts();
  const probe = createCanvas(width, 1).getContext('2d');
  const placed = items.map((item) => place(probe, item, width));
  const height = Math.max(1, placed.reduce((sum, p) => sum + p.height, 0));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  let y = 0;
  for (const p of placed) {
    p.draw(ctx, y);
    y += p.height;
  }
  return canvas.toBuffer('image/png');
}
