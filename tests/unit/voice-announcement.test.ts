import { describe, expect, it } from 'vitest';
import { announcementText, DEFAULT_VOICE_SETTINGS, hallVoiceFields, voiceSettingsOf } from '../../hardware/voice/announcement.js';

describe('announcement text', () => {
  const call = { number: 'A023', counterNumber: 5, counterName: 'Quầy 5 – Kinh doanh', serviceName: 'Đăng ký kinh doanh', recall: false };

  it('fills the default template with the number and counter read in Vietnamese', () => {
    expect(announcementText(call, DEFAULT_VOICE_SETTINGS)).toBe('Mời công dân có số thứ tự a, hai mươi ba đến quầy số năm');
    expect(announcementText({ ...call, number: '1023', counterNumber: 15 }, DEFAULT_VOICE_SETTINGS)).toBe(
      'Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số mười lăm',
    );
  });

  it('uses the recall template on a recall', () => {
    expect(announcementText({ ...call, recall: true }, DEFAULT_VOICE_SETTINGS)).toBe('Mời lại công dân có số thứ tự a, hai mươi ba đến quầy số năm');
  });

  it("follows the hall's template, number reading and regional choices", () => {
    const { settings, invalid } = voiceSettingsOf({
      voiceTemplate: 'Xin mời số {number}, {service}, đến {counterName} {unknown}',
      voiceNumberReading: 'digits',
      voiceZeroTens: 'lẻ',
      voiceName: 'vi-vn-x-south',
      voiceRate: 130,
      priorityInterleave: 2,
    });
    expect(invalid).toEqual([]);
    expect(settings.voice).toBe('vi-vn-x-south');
    expect(settings.rate).toBe(130);
    expect(announcementText(call, settings)).toBe('Xin mời số a, không hai ba, Đăng ký kinh doanh, đến Quầy 5 – Kinh doanh');
    expect(announcementText({ ...call, counterNumber: 105 }, { ...settings, template: 'Số {number} đến quầy {counter}' })).toBe(
      'Số a, không hai ba đến quầy một trăm lẻ năm',
    );
  });

  it('takes defaults for missing or invalid fields and names the invalid ones', () => {
    const { settings, invalid } = voiceSettingsOf({ voiceEnabled: 'yes', voiceRate: 9000, voiceName: 'en', voiceTemplate: 'no placeholder', voiceFour: 'bốn' });
    expect(invalid.sort()).toEqual(['voiceEnabled', 'voiceName', 'voiceRate', 'voiceTemplate']);
    expect(settings.enabled).toBe(true);
    expect(settings.rate).toBe(150);
    expect(settings.voice).toBe('vi');
    expect(settings.template).toBe(DEFAULT_VOICE_SETTINGS.template);
    expect(settings.numbers.fourAfterTens).toBe('bốn');
    expect(voiceSettingsOf(null).settings).toEqual(DEFAULT_VOICE_SETTINGS);
    expect(voiceSettingsOf([1, 2]).settings).toEqual(DEFAULT_VOICE_SETTINGS);
  });

  it('keeps control characters out of the spoken text', () => {
    expect(announcementText({ ...call, counterName: 'Quầy\u00005\r\n' }, { ...DEFAULT_VOICE_SETTINGS, template: '{number} {counterName}' })).toBe('a, hai mươi ba Quầy 5');
  });

  it('maps back to halls.settings fields', () => {
    const fields = hallVoiceFields(voiceSettingsOf({ voiceEnabled: false, voiceThousand: 'ngàn' }).settings);
    expect(fields).toMatchObject({ voiceEnabled: false, voiceThousand: 'ngàn', voiceNumberReading: 'number', voiceName: 'vi', voiceRate: 150 });
    expect(voiceSettingsOf(fields).invalid).toEqual([]);
  });
});
