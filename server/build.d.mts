/** Where the bundled hub goes (dist/hub). */
export const hubDir: string;
/** Bundles server/main.ts and the sim printer's process entry into dist/hub, plus `extra` entries ({ name: source }) beside them. */
export function buildHub(extra?: Record<string, string>): Promise<void>;
/** Node flags the hub runs with (package.json `start` repeats them). */
export const hubNodeFlags: string[];
