/**
 * Voice announcements and the health of the hub's own hardware drivers.
 *
 * Voice settings live in `halls.settings` (jsonb) next to the hall's other settings; the hub reads them
 * on every call, so a change applies to the next announcement. Every field is optional: a missing or
 * invalid field falls back to its default (and the hub logs the invalid one).
 *
 * Announcement audio: a call event carries `audioUrl` (`/api/v1/voice/calls/<ticketId>-<callCount>.wav`)
 * when the hall's voice is on. GET it with the display's or staff member's bearer token: `audio/wav`
 * (RIFF, 16-bit mono PCM). The display plays its chime (`GET /api/v1/voice/chime.wav`, or add `?chime=1`
 * to get the chime prepended), then the announcement. 503 `voice_unavailable` when the speech engine fails.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';

/** espeak-ng's Vietnamese voices: Northern (default), Central, Southern. */
export const VoiceName = Type.Union([Type.Literal('vi'), Type.Literal('vi-vn-x-central'), Type.Literal('vi-vn-x-south')]);
export type VoiceName = Static<typeof VoiceName>;

/** The voice fields of `halls.settings`. */
export const HallVoiceSettings = Type.Object(
  {
    /** Announce calls at all (default true). Off: no `audioUrl` on calls, nothing spoken. */
    voiceEnabled: Type.Optional(Type.Boolean()),
    /** Call text (must contain {number}); placeholders {number} {counter} {counterName} {service}. Default "Mời công dân có số thứ tự {number} đến quầy số {counter}". */
    voiceTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: 400, pattern: '\\{number\\}' })),
    /** Recall text, same placeholders. Default "Mời lại công dân có số thứ tự {number} đến quầy số {counter}". */
    voiceRecallTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: 400, pattern: '\\{number\\}' })),
    /** "A023" read as "a, hai mươi ba" ('number', default) or "a, không hai ba" ('digits'). */
    voiceNumberReading: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('digits')])),
    voiceName: Type.Optional(VoiceName),
    /** Speaking rate in words per minute (espeak-ng -s), default 150. */
    voiceRate: Type.Optional(Type.Integer({ minimum: 80, maximum: 320 })),
    /** Zero tens: "một trăm linh năm" (default) or "một trăm lẻ năm". */
    voiceZeroTens: Type.Optional(Type.Union([Type.Literal('linh'), Type.Literal('lẻ')])),
    /** Four after twenty: "hai mươi tư" (default) or "hai mươi bốn". */
    voiceFour: Type.Optional(Type.Union([Type.Literal('tư'), Type.Literal('bốn')])),
    /** Thousand: "nghìn" (default) or "ngàn". */
    voiceThousand: Type.Optional(Type.Union([Type.Literal('nghìn'), Type.Literal('ngàn')])),
  },
  { additionalProperties: false },
);
export type HallVoiceSettings = Static<typeof HallVoiceSettings>;

/** `GET /api/v1/voice/settings`: the hall's voice settings with every default filled in. */
export const EffectiveVoiceSettings = Type.Required(HallVoiceSettings);
export type EffectiveVoiceSettings = Static<typeof EffectiveVoiceSettings>;

/** `PUT /api/v1/voice/settings` (admin): the fields to change; the others keep their values. */
export const UpdateVoiceSettingsBody = Type.Object(HallVoiceSettings.properties, { additionalProperties: false, minProperties: 1 });
export type UpdateVoiceSettingsBody = Static<typeof UpdateVoiceSettingsBody>;

/** `POST /api/v1/voice/preview` (managers): hear a call with the hall's settings, or with settings being edited. */
export const VoicePreviewBody = Type.Object(
  {
    number: Type.String({ pattern: '^[A-Z]{0,3}[0-9]{1,6}$', description: 'a ticket number, e.g. A023 or 1023' }),
    counterNumber: Type.Integer({ minimum: 1, maximum: 9999 }),
    recall: Type.Optional(Type.Boolean()),
    settings: Type.Optional(HallVoiceSettings),
    chime: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type VoicePreviewBody = Static<typeof VoicePreviewBody>;

/** Route params of an announcement: `<ticketId>-<callCount>.wav`. */
export const VoiceCallParams = Type.Object({ call: Type.String({ pattern: '^[1-9][0-9]{0,15}-[1-9][0-9]{0,5}\\.wav$', maxLength: 30 }) });
export type VoiceCallParams = Static<typeof VoiceCallParams>;

/** `GET /api/v1/voice/group.wav?calls=<ticket>-<n>,…`: up to five calls announced in one phrase (a burst). */
export const VoiceGroupQuery = Type.Object(
  {
    calls: Type.String({ pattern: '^[1-9][0-9]{0,15}-[1-9][0-9]{0,5}(,[1-9][0-9]{0,15}-[1-9][0-9]{0,5}){0,4}$', maxLength: 120 }),
    chime: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
  },
  { additionalProperties: false },
);
export type VoiceGroupQuery = Static<typeof VoiceGroupQuery>;

export const VoiceAudioQuery = Type.Object({ chime: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])) }, { additionalProperties: false });

/** A fault of a device or driver, with when it was first seen. */
export const HealthFault = Type.Object({ code: Type.String(), message: Type.String(), since: Type.String() });
export type HealthFault = Static<typeof HealthFault>;

export const DriverKind = Type.Union([Type.Literal('voice'), Type.Literal('led'), Type.Literal('keypad'), Type.Literal('database')]);
export type DriverKind = Static<typeof DriverKind>;

/** One of the hub's own hardware drivers (the speech engine, an LED counter display, a calling keypad). */
export const DriverHealth = Type.Object({
  /** Stable name: "voice", "led:<counterNumber>", "keypad:<counterNumber>", "database" (the embedded PostgreSQL). */
  driver: Type.String(),
  kind: DriverKind,
  /** The hub process (HUB_NODE, default the host name) that runs the driver. */
  node: Type.String(),
  path: Nullable(Type.String()),
  counterNumber: Nullable(Type.Integer()),
  online: Type.Boolean(),
  faults: Type.Array(HealthFault),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type DriverHealth = Static<typeof DriverHealth>;

/** `GET /api/v1/hardware/health` (managers): the hub-local drivers serving this hall. */
export const HardwareHealthReply = Type.Object({ drivers: Type.Array(DriverHealth), at: Type.String({ format: 'date-time' }) });
export type HardwareHealthReply = Static<typeof HardwareHealthReply>;

/**
 * A device or driver changed health (went offline or online, a fault appeared or cleared). Sent to the
 * hall's managers (socket `device:health`) for the live board. `deviceId` is set for devices known by a
 * token (kiosks, displays, tablets, agents) and null for the hub's own drivers, which set `driver`.
 */
export const DeviceHealthEvent = Type.Object({
  hallId: Id,
  deviceId: Nullable(Id),
  driver: Type.Optional(Type.String()),
  online: Type.Boolean(),
  faults: Type.Array(HealthFault),
  at: Type.String({ format: 'date-time' }),
});
export type DeviceHealthEvent = Static<typeof DeviceHealthEvent>;
