import os from 'node:os';

export interface HealthConfig {
  /** This hub process's name in hardware health (HUB_NODE, default the host name). */
  hubNode: string;
  /** How often device health is checked for changes to report (HEALTH_SWEEP_MS, default 5000). */
  healthSweepMs: number;
}

export function healthConfig(env: NodeJS.ProcessEnv): HealthConfig {
  const raw = env.HEALTH_SWEEP_MS?.trim();
  const sweep = raw ? Number(raw) : 5000;
  if (!Number.isInteger(sweep) || sweep < 50 || sweep > 600_000) throw new Error(`HEALTH_SWEEP_MS must be an integer between 50 and 600000, got "${raw}"`);
  const node = env.HUB_NODE?.trim() || os.hostname();
  if (node.length > 100) throw new Error('HUB_NODE must be at most 100 characters');
  return { hubNode: node, healthSweepMs: sweep };
}
