import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type BwipJs from 'bwip-js';
import QRCode from 'qrcode';

// @napi-rs/canvas (~27 MB) and bwip-js (~11 MB) load on the first raster, not when the hub starts:
// a hub whose devices have no printer never loads them.
type CanvasModule = typeof import('@napi-rs/canvas');
type Bwip = typeof BwipJs;
let canvasModule: Promise<CanvasModule> | null = null;
let bwipModule: Promise<Bwip> | null = null;

/** @napi-rs/canvas with the DejaVu fonts registered, loaded on first use. */
export function loadCanvas(): Promise<CanvasModule> {
  canvasModule ??= import('@napi-rs/canvas').then((m) => {
    ensureFonts(m.GlobalFonts);
    return m;
  });
  canvasModule.catch(() => (canvasModule = null));
  return canvasModule;
}

/** bwip-js (CODE128 bars), loaded on first use. */
export function loadBwip(): Promise<Bwip> {
  bwipModule ??= import('bwip-js').then((m) => ((m as { default?: Bwip }).default ?? (m as unknown as Bwip)));
  bwipModule.catch(() => (bwipModule = null));
  return bwipModule;
}

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
export function ensureFonts(fonts: CanvasModule['GlobalFonts']): void {
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
    fonts.registerFromPath(full, family);
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

function place(ctx: SKRSContext2D, item: RasterItem, width: number, bwipjs: Bwip | null): Placed {
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
      if (!bwipjs) throw new Error('CODE128 encoder not loaded');
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

/** A drawn raster: RGBA pixels, `width` × `height`. */
export interface RasterImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** One canvas per paper width, reused from job to job (grown when a taller image comes). */
const surfaces = new Map<number, { canvas: Canvas; ctx: SKRSContext2D }>();
let probe: SKRSContext2D | null = null;
const MAX_REUSED_HEIGHT = 4096;

function surface(m: CanvasModule, width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const have = surfaces.get(width);
  if (have && have.canvas.height >= height) return have;
  const canvas = m.createCanvas(width, Math.max(height, have?.canvas.height ?? 0, 512));
  const made = { canvas, ctx: canvas.getContext('2d') };
  if (height <= MAX_REUSED_HEIGHT) surfaces.set(width, made);
  return made;
}

/** Draws the items top to bottom into one white image `width` dots wide; returns its pixels. */
export async function rasterImage(items: RasterItem[], width: number): Promise<RasterImage> {
  const m = await loadCanvas();
  const bwip = items.some((i) => i.kind === 'barcode') ? await loadBwip() : null;
  probe ??= m.createCanvas(8, 1).getContext('2d');
  const placed = items.map((item) => place(probe!, item, width, bwip));
  const height = Math.max(1, placed.reduce((sum, p) => sum + p.height, 0));
  const { ctx } = surface(m, width, height);
  ctx.save();
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  let y = 0;
  for (const p of placed) {
    p.draw(ctx, y);
    y += p.height;
  }
  ctx.restore();
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}

/** Draws the items into one white image `width` dots wide; returns it as PNG. */
export async function rasterize(items: RasterItem[], width: number): Promise<Buffer> {
  const m = await loadCanvas();
  const img = await rasterImage(items, width);
  const canvas = m.createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(img.width, img.height);
  data.data.set(img.rgba);
  ctx.putImageData(data, 0, 0);
  return canvas.toBuffer('image/png');
}

/** Whether a pixel prints: opaque enough and dark (node-thermal-printer's rule, so the bytes are the same). */
const dark = (d: Uint8ClampedArray, i: number) => d[i + 3]! > 126 && Math.trunc(0.2126 * d[i]! + 0.7152 * d[i + 1]! + 0.0722 * d[i + 2]!) < 128;

/** One row-major bit plane, `bytesPerRow` bytes per row, MSB = leftmost dot; `rows` rows (pads with white). */
function bitPlane(img: RasterImage, rows: number): { bits: Buffer; bytesPerRow: number } {
  const bytesPerRow = Math.ceil(img.width / 8);
  const bits = Buffer.alloc(bytesPerRow * rows);
  const d = img.rgba;
  for (let y = 0; y < img.height; y++) {
    const rowBase = y * img.width * 4;
    for (let x = 0; x < img.width; x++) {
      if (dark(d, rowBase + x * 4)) bits[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { bits, bytesPerRow };
}

/**
 * The printer command for an image: EPSON `GS v 0` (one block), STAR `ESC 0` + `ESC k` bands of 24 rows +
 * `ESC z 1`. Byte for byte what node-thermal-printer's `printImageBuffer` sends, without its PNG decode
 * and per-pixel objects.
 */
export function imageCommand(type: 'epson' | 'star', img: RasterImage): Buffer {
  if (type === 'epson') {
    const { bits, bytesPerRow } = bitPlane(img, img.height);
    const width = img.width % 8 !== 0 ? img.width + 8 : img.width;
    const header = Buffer.from([0x1d, 0x76, 0x30, 48, (width >> 3) & 0xff, 0x00, img.height & 0xff, (img.height >> 8) & 0xff]);
    void bytesPerRow;
    return Buffer.concat([header, bits]);
  }
  const bands = Math.ceil(img.height / 24);
  const { bits, bytesPerRow } = bitPlane(img, bands * 24);
  const parts: Buffer[] = [Buffer.from([0x1b, 0x30])];
  const bandBytes = 24 * bytesPerRow;
  for (let i = 0; i < bands; i++) {
    parts.push(Buffer.from([0x1b, 0x6b, Math.trunc(bandBytes / 24) & 0xff, 0x00]));
    parts.push(bits.subarray(i * bandBytes, (i + 1) * bandBytes));
    parts.push(Buffer.from('\n'));
  }
  parts.push(Buffer.from([0x1b, 0x7a, 0x01]));
  return Buffer.concat(parts);
}
