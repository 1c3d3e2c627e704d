import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';
import { ensureFonts, MONO } from '../printer/raster.js';
import type { Align, DecodedPage, PageElement } from './printer-emulator.js';

const CELL_W = 12;
const CELL_H = 24;
const LINE_GAP = 6;
const MARGIN = 12;

function xFor(align: Align, width: number, paper: number): number {
  if (align === 'center') return Math.max(0, Math.round((paper - width) / 2));
  if (align === 'right') return Math.max(0, paper - width);
  return 0;
}

function codeBars(data: string): number[] {
  const raw = bwipjs.raw({ bcid: 'code128', text: data });
  const first = raw[0];
  return first && 'sbs' in first ? first.sbs : [];
}

interface Measured {
  height: number;
  draw(ctx: SKRSContext2D, y: number): void;
}

function measure(e: PageElement, paper: number): Measured {
  switch (e.kind) {
    case 'feed':
      return { height: e.dots, draw: () => undefined };
    case 'text': {
      const h = Math.max(...e.runs.map((r) => r.h));
      const width = e.runs.reduce((sum, r) => sum + [...r.text].length * CELL_W * r.w, 0);
      return {
        height: CELL_H * h + LINE_GAP,
        draw(ctx, y) {
          let x = xFor(e.align, width, paper);
          for (const r of e.runs) {
            ctx.save();
            ctx.translate(x, y + CELL_H * h);
            ctx.scale(r.w, r.h);
            ctx.font = `${r.bold ? 'bold ' : ''}20px "${MONO}"`;
            ctx.textBaseline = 'alphabetic';
            for (const [k, ch] of [...r.text].entries()) ctx.fillText(ch, k * CELL_W, -5);
            ctx.restore();
            x += [...r.text].length * CELL_W * r.w;
          }
        },
      };
    }
    case 'image':
      return {
        height: e.height,
        draw(ctx, y) {
          const x0 = xFor(e.align, e.width, paper);
          const img = ctx.createImageData(e.width, e.height);
          for (let row = 0; row < e.height; row++) {
            for (let col = 0; col < e.width; col++) {
              const on = ((e.bits[row * e.bytesPerRow + (col >> 3)] ?? 0) >> (7 - (col & 7))) & 1;
              const p = (row * e.width + col) * 4;
              const v = on ? 0 : 255;
              img.data[p] = v;
              img.data[p + 1] = v;
              img.data[p + 2] = v;
              img.data[p + 3] = 255;
            }
          }
          ctx.putImageData(img, x0, y);
        },
      };
    case 'qr': {
      const qr = QRCode.create(e.data || ' ', { errorCorrectionLevel: 'M' });
      const size = qr.modules.size * e.module;
      return {
        height: size + 2 * e.module,
        draw(ctx, y) {
          const x0 = xFor(e.align, size, paper);
          for (let r = 0; r < qr.modules.size; r++) {
            for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(r, c)) ctx.fillRect(x0 + c * e.module, y + e.module + r * e.module, e.module, e.module);
          }
        },
      };
    }
    case 'barcode': {
      const bars = codeBars(e.data);
      const width = bars.reduce((a, b) => a + b, 0) * e.module;
      return {
        height: e.height + 8,
        draw(ctx, y) {
          let x = xFor(e.align, width, paper);
          bars.forEach((w, i) => {
            if (i % 2 === 0) ctx.fillRect(x, y + 4, w * e.module, e.height);
            x += w * e.module;
          });
        },
      };
    }
  }
}

/** Draws a decoded print as the paper would look: white, `paperDots` wide, a dashed line where it was cut. */
export function renderPagePng(page: DecodedPage, paperDots: number): Buffer {
  ensureFonts(GlobalFonts);
  const measured = page.elements.map((e) => measure(e, paperDots));
  const height = measured.reduce((sum, m) => sum + m.height, 0) + 2 * MARGIN + (page.cut ? 10 : 0);
  const canvas = createCanvas(paperDots + 2 * MARGIN, Math.max(height, 2 * MARGIN + 1));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  ctx.translate(MARGIN, 0);
  let y = MARGIN;
  for (const m of measured) {
    m.draw(ctx, y);
    y += m.height;
  }
  if (page.cut) {
    for (let x = -MARGIN; x < paperDots + MARGIN; x += 12) ctx.fillRect(x, y + MARGIN + 4, 6, 1);
  }
  return canvas.toBuffer('image/png');
}
