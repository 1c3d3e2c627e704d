import type { Queryable } from '../db/pool.js';
import { voiceSettingsOf } from '../../hardware/voice/announcement.js';
import { hallSettings } from './voice.repo.js';

/** The announcement audio of a ticket's `callCount`-th call (deterministic, so any hub process can render it). */
export const callAudioPath = (ticketId: number, callCount: number) => `/api/v1/voice/calls/${ticketId}-${callCount}.wav`;

/**
 * `CallEvent.audioUrl` for a committed call: the audio path, or undefined when the hall has switched voice off.
 * Never throws: if the settings cannot be read the URL is given (voice is on by default).
 */
export async function callAudioUrl(db: Queryable, hallId: number, ticketId: number, callCount: number): Promise<string | undefined> {
  try {
    if (!voiceSettingsOf(await hallSettings(db, hallId)).settings.enabled) return undefined;
  } catch {
    // fall through: announce rather than stay silent
  }
  return callAudioPath(ticketId, callCount);
}

/** `CallEvent.audioUrl` from the hall's settings already in hand (no query): undefined when voice is off. */
export function audioUrlFor(hallSettings: unknown, ticketId: number, callCount: number): string | undefined {
  try {
    if (!voiceSettingsOf(hallSettings).settings.enabled) return undefined;
  } catch {
    // announce rather than stay silent
  }
  return callAudioPath(ticketId, callCount);
}
