/**
 * Printer status queries and how to read their answers.
 *
 * EPSON (ESC/POS), both answered in real time, even when the printer is offline for lack of paper:
 * - `DLE EOT 2` (offline cause): 0x04 cover open, 0x20 printing stopped by paper end, 0x40 error.
 * - `DLE EOT 4` (roll paper sensor): 0x0C paper near end, 0x60 paper end.
 * Both answers have bits 1 and 4 set and bits 0 and 7 clear (`& 0x93 === 0x12`).
 * - `GS r 1` (paper sensor, 0x03 near end, 0x0C end) is answered only once every byte before it is
 *   processed, so it confirms the end of a job. node-thermal-printer can send it but does not read it;
 *   a printer out of paper is offline and never answers it. Its answers have bit 4 clear.
 *
 * STAR (Star Line Mode): `ESC ACK SOH` asks for the automatic status (ASB), answered in real time:
 * byte 1 is a header whose bits 1–3 and 5 give the length; byte 3: 0x20 cover open, 0x08 offline;
 * byte 5: 0x08 paper empty, 0x04 paper near end.
 */
import type { PrinterState } from './port.js';

export const EPSON_OFFLINE_QUERY = Buffer.from([0x10, 0x04, 0x02]);
export const EPSON_PAPER_QUERY = Buffer.from([0x10, 0x04, 0x04]);
export const EPSON_PROCESSED_QUERY = Buffer.from([0x1d, 0x72, 0x01]);
export const STAR_ASB_QUERY = Buffer.from([0x1b, 0x06, 0x01]);

export interface DecodedStatus {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean | null;
  error: boolean;
}

/** A `DLE EOT n` answer (as opposed to a late `GS r` answer on the same line). */
export const isRealtimeAnswer = (b: number) => (b & 0x93) === 0x12;

export function decodeEpson(offline: number, paper: number): DecodedStatus {
  const offlineValid = isRealtimeAnswer(offline);
  return {
    paperOut: (paper & 0x60) !== 0 || (offlineValid && (offline & 0x20) !== 0),
    paperNearEnd: (paper & 0x0c) !== 0,
    coverOpen: offlineValid ? (offline & 0x04) !== 0 : null,
    error: offlineValid && (offline & 0x40) !== 0,
  };
}

/** A `GS r 1` answer. */
export function decodeEpsonProcessed(b: number): DecodedStatus {
  return { paperOut: (b & 0x0c) === 0x0c, paperNearEnd: (b & 0x03) !== 0, coverOpen: null, error: false };
}

/** Length in bytes of a STAR ASB answer, from its first byte. */
export const starAsbLength = (header: number) => (((header >> 1) & 0x07) | ((header >> 2) & 0x08)) || 7;

export function decodeStarAsb(asb: Uint8Array): DecodedStatus {
  const b3 = asb[2] ?? 0;
  const b5 = asb[4] ?? 0;
  return { paperOut: (b5 & 0x08) !== 0, paperNearEnd: (b5 & 0x04) !== 0, coverOpen: (b3 & 0x20) !== 0, error: (asb[3] ?? 0) !== 0 };
}

/** The one state that explains a decoded status: the cover first, then paper, then errors. */
export function stateOf(d: DecodedStatus): PrinterState {
  if (d.coverOpen) return 'cover_open';
  if (d.paperOut) return 'paper_out';
  if (d.error) return 'error';
  if (d.paperNearEnd) return 'paper_near_end';
  return 'ok';
}
