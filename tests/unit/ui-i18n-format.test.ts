import { afterEach, describe, expect, it } from 'vitest';
import { createTranslator, interpolate, lang, localized } from '../../ui-kit/i18n.js';
import { formatDate, formatDuration, formatLongDate, formatTime } from '../../ui-kit/format.js';

describe('ui-kit i18n', () => {
  afterEach(() => {
    lang.value = 'vi';
  });

  it('is Vietnamese first and follows the language signal', () => {
    const t = createTranslator({ vi: { hello: 'Xin chào {name}', n: 'Đang chờ: {n}' }, en: { hello: 'Hello {name}', n: 'Waiting: {n}' } });
    expect(t('hello', { name: 'Lan' })).toBe('Xin chào Lan');
    lang.value = 'en';
    expect(t('hello', { name: 'Lan' })).toBe('Hello Lan');
    expect(t('n', { n: 3 })).toBe('Waiting: 3');
    expect(t.in('vi')('n', { n: 0 })).toBe('Đang chờ: 0');
  });

  it('leaves unknown placeholders and text without parameters alone', () => {
    expect(interpolate('Quầy {n} – {x}', { n: 3 })).toBe('Quầy 3 – {x}');
    expect(interpolate('Mời công dân')).toBe('Mời công dân');
  });

  it('picks the English name only when English is on and one exists', () => {
    expect(localized('Tư pháp – Hộ tịch', 'Justice – Civil status', 'vi')).toBe('Tư pháp – Hộ tịch');
    expect(localized('Tư pháp – Hộ tịch', 'Justice – Civil status', 'en')).toBe('Justice – Civil status');
    expect(localized('Đất đai', null, 'en')).toBe('Đất đai');
  });
});

describe('ui-kit format', () => {
  // 2025-03-05 01:02:03 UTC = 08:02:03 on Wednesday in Hà Nội (UTC+7).
  const at = '2025-03-05T01:02:03Z';

  it('shows the hall time, 24-hour, in Asia/Ho_Chi_Minh by default', () => {
    expect(formatTime(at)).toBe('08:02');
    expect(formatTime(at, { seconds: true })).toBe('08:02:03');
    expect(formatTime('2025-03-05T16:30:00Z')).toBe('23:30');
    expect(formatTime(at, { timeZone: 'UTC' })).toBe('01:02');
  });

  it('writes dates day first with Vietnamese weekdays', () => {
    expect(formatDate(at)).toBe('05/03/2025');
    expect(formatLongDate(at, 'vi')).toBe('Thứ Tư, 05/03/2025');
    expect(formatLongDate('2025-03-08T18:00:00Z', 'vi')).toBe('Chủ nhật, 09/03/2025');
    expect(formatLongDate(at, 'en')).toBe('Wednesday, 05/03/2025');
  });

  it('formats elapsed time as mm:ss, then h:mm:ss', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(-5000)).toBe('00:00');
    expect(formatDuration(65_900)).toBe('01:05');
    expect(formatDuration(3_600_000 + 125_000)).toBe('1:02:05');
  });
});
