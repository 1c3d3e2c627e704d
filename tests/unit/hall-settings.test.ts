import { describe, expect, it } from 'vitest';
import { HALL_SETTING_DEFAULTS, HallSettings, UpdateHallBody } from '../../protocol/setup.js';
import { hallSettingsOf } from '../../server/admin/setup.service.js';
import { policyOf } from '../../server/queue/priority-policy.js';
import { DEFAULT_TICKET_FOOTER } from '../../hardware/printer/layout.js';
import { DEFAULT_IDLE_ALERT_MINUTES } from '../../server/board/alerts.js';
import { DEFAULT_CLOSING_TIME } from '../../server/dossiers/workdays.js';

describe('hall settings: defaults declared once in the protocol schema', () => {
  it('every setting declares its default in the schema, and the readers use those', () => {
    expect(HALL_SETTING_DEFAULTS).toEqual({
      priorityInterleave: 2,
      priorityAgeingMinutes: 30,
      maxRequeue: 1,
      agencyId: null,
      closingTime: '17:00',
      idleAlertMinutes: 2,
      ratingWindowMinutes: 30,
      ratingOfflineGraceHours: 24,
      ticketFooter: 'Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!',
      rankingMinRatings: 5,
      openingTime: null,
      unprintedTicketMinutes: 10,
      displayLanguages: ['vi'],
      kioskTicketsPerMinute: 20,
    });
    for (const [key, schema] of Object.entries(HallSettings.properties)) expect(schema, key).toHaveProperty('default');
    expect([DEFAULT_TICKET_FOOTER, DEFAULT_IDLE_ALERT_MINUTES, DEFAULT_CLOSING_TIME]).toEqual([
      HALL_SETTING_DEFAULTS.ticketFooter,
      HALL_SETTING_DEFAULTS.idleAlertMinutes,
      HALL_SETTING_DEFAULTS.closingTime,
    ]);
  });

  it('a change names only what it sets: the PATCH body schema carries no default for the validator to fill in', () => {
    const settings = UpdateHallBody.properties.settings;
    expect(JSON.stringify(settings)).not.toContain('"default"');
    expect(settings.properties.priorityInterleave).toMatchObject({ type: 'integer', minimum: 1, maximum: 20 });
  });

  it('hallSettingsOf reads stored settings, a missing or invalid field shows its default; the priority policy comes from it', () => {
    const s = hallSettingsOf({ priorityInterleave: 4, priorityAgeingMinutes: 'soon', maxRequeue: 0 });
    expect(s).toMatchObject({ priorityInterleave: 4, priorityAgeingMinutes: 30, maxRequeue: 0, closingTime: '17:00' });
    expect(policyOf(s)).toEqual({ interleave: 4, ageingMinutes: 30 });
    expect(policyOf(hallSettingsOf(null))).toEqual({ interleave: 2, ageingMinutes: 30 });
  });
});
