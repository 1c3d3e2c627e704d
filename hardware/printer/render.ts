import thermal from 'node-thermal-printer';
import { encodeCp1258, isAscii } from './cp1258.js';
import { documentLayout, linesLayout, type Block, type TextSize } from './layout.js';
import type { PrinterProfile, PrintInput } from './port.js';
import { imageCommand, rasterImage, type Align, type RasterItem } from './raster.js';

const RASTER_PX: Record<TextSize, number> = { small: 21, normal: 25, large: 33 };
const QR_MODULE = 6;
const BARCODE_HEIGHT = 80;

/** Blocks whose content is the same on every ticket of a hall/service: their raster is cached. */
const STATIC_TEXT = new Set(['SỐ THỨ TỰ CỦA BẠN', 'ƯU TIÊN', 'Quét mã QR để theo dõi lượt gọi số', 'Quét mã QR để tra cứu tình trạng hồ sơ', 'Mã hồ sơ']);

type Printer = InstanceType<typeof thermal.ThermalPrinter>;

/** Printer bytes of raster images already drawn, keyed by profile and content. */
const rasterCache = new Map<string, Buffer>();
const CACHE_MAX = 300;

function cacheGet(key: string): Buffer | undefined {
  const hit = rasterCache.get(key);
  if (hit) {
    rasterCache.delete(key);
    rasterCache.set(key, hit);
  }
  return hit;
}

function cacheSet(key: string, value: Buffer): void {
  rasterCache.set(key, value);
  if (rasterCache.size > CACHE_MAX) rasterCache.delete(rasterCache.keys().next().value!);
}

function needsRaster(block: Block, profile: PrinterProfile): boolean {
  switch (block.kind) {
    case 'qr':
    case 'barcode':
      return true;
    case 'text':
      return block.invert === true || (profile.text === 'raster' && !isAscii(block.text));
    case 'number':
    case 'rule':
    case 'gap':
      return false;
  }
}

function rasterItem(block: Block): RasterItem {
  switch (block.kind) {
    case 'text':
      return { kind: 'text', text: block.text, px: RASTER_PX[block.size ?? 'normal'], bold: block.bold ?? false, align: block.align ?? 'left', invert: block.invert ?? false };
    case 'qr':
      return { kind: 'qr', data: block.data, module: QR_MODULE };
    case 'barcode':
      return { kind: 'barcode', data: block.data, height: BARCODE_HEIGHT };
    case 'rule':
      return { kind: 'rule' };
    case 'gap':
      return { kind: 'gap', px: 16 };
    case 'number':
      return { kind: 'text', text: block.text, px: 140, bold: true, align: 'center' };
  }
}

/**
 * Text sent to the printer as characters keeps no control bytes (ESC, GS, CR, LF… would be commands: a `GS V`
 * in a name cuts the ticket) nor bidi controls; the layout's own commands are added around it.
 */
export function printableText(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu, '');
}

/** Splits a line into pieces of at most `width` characters, at spaces when it can. */
function wrapChars(text: string, width: number): string[] {
  const chars = [...printableText(text).normalize('NFC')];
  const out: string[] = [];
  while (chars.length > width) {
    let cut = chars.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    out.push(chars.splice(0, cut).join('').trimEnd());
    while (chars[0] === ' ') chars.shift();
  }
  out.push(chars.join(''));
  return out;
}

function align(p: Printer, a: Align): void {
  if (a === 'center') p.alignCenter();
  else if (a === 'right') p.alignRight();
  else p.alignLeft();
}

function setSize(p: Printer, profile: PrinterProfile, times: number): void {
  if (profile.type === 'star') {
    const n = Math.max(0, Math.min(5, times - 1));
    p.append(Buffer.from([0x1b, 0x69, n, n]));
  } else {
    const n = Math.max(0, Math.min(7, times - 1));
    p.setTextSize(n, n);
  }
}

function nativeBlock(p: Printer, block: Block, profile: PrinterProfile): void {
  switch (block.kind) {
    case 'text': {
      const times = block.size === 'large' ? 2 : 1;
      align(p, block.align ?? 'left');
      if (block.bold) p.bold(true);
      setSize(p, profile, times);
      for (const line of wrapChars(block.text, Math.floor(profile.columns / times))) {
        if (isAscii(line)) p.println(line);
        else {
          p.append(encodeCp1258(line));
          p.newLine();
        }
      }
      setSize(p, profile, 1);
      if (block.bold) p.bold(false);
      return;
    }
    case 'number': {
      const text = printableText(block.text);
      const times = Math.max(1, Math.min(profile.type === 'star' ? 6 : 7, Math.floor(profile.columns / Math.max(1, text.length))));
      p.alignCenter();
      p.bold(true);
      setSize(p, profile, times);
      p.println(text);
      setSize(p, profile, 1);
      p.bold(false);
      return;
    }
    case 'rule':
      p.alignLeft();
      p.drawLine('-');
      return;
    case 'gap':
      p.newLine();
      return;
    case 'qr':
    case 'barcode':
      throw new Error(`${block.kind} is always printed as raster`);
  }
}

const isStatic = (block: Block, staticTexts: Set<string>) => block.kind === 'text' && staticTexts.has(block.text);

/**
 * Lays blocks out for one printer with node-thermal-printer: `ESC @`, native text for ASCII (and for
 * Vietnamese in `cp1258` mode), raster images (`printImageBuffer`, GS v 0 on EPSON) for Vietnamese lines,
 * QR codes and barcodes, the number in the largest type, then feed and cut.
 * `staticTexts` are texts the same on many prints (hall and service names): their images are cached.
 */
export async function renderBlocks(blocks: Block[], profile: PrinterProfile, staticTexts: string[] = []): Promise<Buffer> {
  const p = new thermal.ThermalPrinter({
    type: profile.type === 'star' ? thermal.PrinterTypes.STAR : thermal.PrinterTypes.EPSON,
    interface: '',
    width: profile.columns,
  });
  const constant = new Set([...STATIC_TEXT, ...staticTexts]);
  blocks = blocks.map((b) => (b.kind === 'text' || b.kind === 'number' ? { ...b, text: printableText(b.text) } : b));
  p.append(Buffer.from([0x1b, 0x40])); // ESC @: initialise (the same on EPSON and STAR)
  if (profile.text === 'cp1258') p.append(Buffer.from(profile.type === 'star' ? [0x1b, 0x1d, 0x74, profile.codePage] : [0x1b, 0x74, profile.codePage]));

  let run: Block[] = [];
  let runStatic = false;
  const flush = async () => {
    if (!run.length) return;
    const items = run.map(rasterItem);
    run = [];
    const key = runStatic ? `${profile.type}:${profile.widthDots}:${JSON.stringify(items)}` : null;
    const cached = key ? cacheGet(key) : undefined;
    p.alignLeft();
    if (cached) {
      p.append(cached);
      return;
    }
    const bytes = imageCommand(profile.type, await rasterImage(items, profile.widthDots));
    p.append(bytes);
    if (key) cacheSet(key, bytes);
  };
  for (const block of blocks) {
    // Rules and gaps between raster lines join the image; elsewhere they are printer commands.
    const neutral = block.kind === 'gap' || block.kind === 'rule';
    if (!needsRaster(block, profile) && !(neutral && run.length > 0)) {
      await flush();
      nativeBlock(p, block, profile);
      continue;
    }
    const stat: boolean = neutral ? runStatic : isStatic(block, constant);
    if (run.length > 0 && stat !== runStatic) await flush();
    runStatic = stat;
    run.push(block);
  }
  await flush();
  p.cut({ verticalTabAmount: 1 });
  return p.getBuffer();
}

/** The bytes of a job for a profile. */
export async function renderJob(job: PrintInput, profile: PrinterProfile): Promise<Buffer> {
  if ('bytes' in job) return Buffer.from(job.bytes);
  if ('lines' in job) return renderBlocks(linesLayout(job.lines), profile);
  const doc = job.document;
  const staticTexts = doc.kind === 'ticket' ? [doc.ticket.hallName, doc.ticket.serviceName, doc.ticket.footer] : [doc.receipt.hallName];
  return renderBlocks(documentLayout(doc), profile, staticTexts);
}
