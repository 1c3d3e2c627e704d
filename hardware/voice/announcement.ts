import { HallVoiceSettings, type VoiceName } from '../../protocol/voice.js';
import { validator } from '../../protocol/validate.js';
import { readNumber, readTicketNumber, type NumberReading, type NumberReadingOptions } from './vietnamese.js';

/** A hall's voice settings with every default applied. */
export interface VoiceSettings {
  enabled: boolean;
  template: string;
  recallTemplate: string;
  numberReading: NumberReading;
  voice: VoiceName;
  /** Words per minute. */
  rate: number;
  numbers: Required<NumberReadingOptions>;
}

export const DEFAULT_VOICE_TEMPLATE = 'Mời công dân có số thứ tự {number} đến quầy số {counter}';
export const DEFAULT_RECALL_TEMPLATE = 'Mời lại công dân có số thứ tự {number} đến quầy số {counter}';

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  enabled: true,
  template: DEFAULT_VOICE_TEMPLATE,
  recallTemplate: DEFAULT_RECALL_TEMPLATE,
  numberReading: 'number',
  voice: 'vi',
  rate: 150,
  numbers: { zeroTens: 'linh', fourAfterTens: 'tư', thousand: 'nghìn' },
};

const fields = HallVoiceSettings.properties;
type Field = keyof typeof fields;
const fieldCheck = new Map<string, (v: unknown) => boolean>(
  Object.entries(fields).map(([key, schema]) => {
    const v = validator(schema);
    return [key, (value: unknown) => v.check(value)];
  }),
);

/**
 * Reads the voice fields out of a hall's `settings` jsonb. Each field is checked on its own: a missing field
 * takes its default, an invalid one too and is listed in `invalid` (so the caller can log it).
 */
export function voiceSettingsOf(raw: unknown): { settings: VoiceSettings; invalid: string[] } {
  const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const invalid: string[] = [];
  const pick = <K extends Field>(key: K): HallVoiceSettings[K] | undefined => {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (fieldCheck.get(key)?.(value)) return value as HallVoiceSettings[K];
    invalid.push(key);
    return undefined;
  };
  const d = DEFAULT_VOICE_SETTINGS;
  return {
    settings: {
      enabled: pick('voiceEnabled') ?? d.enabled,
      template: pick('voiceTemplate') ?? d.template,
      recallTemplate: pick('voiceRecallTemplate') ?? d.recallTemplate,
      numberReading: pick('voiceNumberReading') ?? d.numberReading,
      voice: pick('voiceName') ?? d.voice,
      rate: pick('voiceRate') ?? d.rate,
      numbers: {
        zeroTens: pick('voiceZeroTens') ?? d.numbers.zeroTens,
        fourAfterTens: pick('voiceFour') ?? d.numbers.fourAfterTens,
        thousand: pick('voiceThousand') ?? d.numbers.thousand,
      },
    },
    invalid,
  };
}

/** What an announcement is about. */
export interface CallToAnnounce {
  number: string;
  counterNumber: number;
  counterName?: string;
  serviceName?: string;
  recall: boolean;
}

/**
 * The text spoken for a call, from the hall's template: {number} is the ticket number read in Vietnamese,
 * {counter} the counter number in words, {counterName} and {service} as written. Unknown placeholders are dropped.
 */
export function announcementText(call: CallToAnnounce, settings: VoiceSettings): string {
  const values: Record<string, string> = {
    number: readTicketNumber(call.number, settings.numberReading, settings.numbers),
    counter: readNumber(call.counterNumber, settings.numbers),
    counterName: call.counterName ?? '',
    service: call.serviceName ?? '',
  };
  const template = call.recall ? settings.recallTemplate : settings.template;
  return template
    .replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .trim();
}

/** At most this many calls are spoken in one phrase. */
export const MAX_GROUP_CALLS = 5;

/**
 * Several calls in one short phrase, for a burst: "Mời số A không không một đến quầy một, số B … đến quầy ba".
 * A recall reads "mời lại số …". Calls beyond `MAX_GROUP_CALLS` are not included (the caller splits).
 */
export function groupAnnouncementText(calls: readonly CallToAnnounce[], settings: VoiceSettings): string {
  if (calls.length === 1) return announcementText(calls[0]!, settings);
  const parts = calls.slice(0, MAX_GROUP_CALLS).map((c, i) => {
    const number = readTicketNumber(c.number, settings.numberReading, settings.numbers);
    const counter = readNumber(c.counterNumber, settings.numbers);
    const lead = c.recall ? (i === 0 ? 'Mời lại số' : 'mời lại số') : i === 0 ? 'Mời số' : 'số';
    return `${lead} ${number} đến quầy ${counter}`;
  });
  return parts.join(', ');
}

/** The settings back in `halls.settings` field names, every field filled in. */
export function hallVoiceFields(s: VoiceSettings): Required<HallVoiceSettings> {
  return {
    voiceEnabled: s.enabled,
    voiceTemplate: s.template,
    voiceRecallTemplate: s.recallTemplate,
    voiceNumberReading: s.numberReading,
    voiceName: s.voice,
    voiceRate: s.rate,
    voiceZeroTens: s.numbers.zeroTens,
    voiceFour: s.numbers.fourAfterTens,
    voiceThousand: s.numbers.thousand,
  };
}
