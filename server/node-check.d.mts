/** Supported Node.js lines and the first release of each that works. */
export const SUPPORTED_LINES: { major: number; from: string; note: string }[];
/** The supported lines as one sentence. */
export function supportedText(): string;
/** Checks a Node.js version (default: this process's): `ok` false means the hub must not start. */
export function checkNode(versions?: { node: string }): { ok: boolean; message: string | null; warning: string | null };
