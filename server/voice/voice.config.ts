/** Voice settings of the hub process (the per-hall voice settings live in halls.settings). */
export interface VoiceConfig {
  /** The espeak-ng binary (VOICE_COMMAND, default "espeak-ng" on PATH). */
  voiceCommand: string;
  /** Play announcements on this PC's own speakers too (VOICE_SPEAK=1); displays always get the audio by URL. */
  voiceSpeak: boolean;
  /** Memory for rendered announcements (VOICE_CACHE_MB, default 32). */
  voiceCacheMb: number;
}

export function voiceConfig(env: NodeJS.ProcessEnv): VoiceConfig {
  const mb = env.VOICE_CACHE_MB?.trim() ? Number(env.VOICE_CACHE_MB) : 32;
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) throw new Error(`VOICE_CACHE_MB must be an integer between 1 and 1024, got "${env.VOICE_CACHE_MB}"`);
  const speak = env.VOICE_SPEAK?.trim() ?? '0';
  if (!['0', '1', 'true', 'false', ''].includes(speak)) throw new Error(`VOICE_SPEAK must be 0 or 1, got "${speak}"`);
  return {
    voiceCommand: env.VOICE_COMMAND?.trim() || 'espeak-ng',
    voiceSpeak: speak === '1' || speak === 'true',
    voiceCacheMb: mb,
  };
}
