import { describe, expect, it } from 'vitest';
import { idNumberProblem, looksLikeCccd, parseCccdQr } from '../../protocol/cccd.js';
import { parseLookupInput } from '../../protocol/dossiers.js';
import { expandCode } from '../../kiosk-ui/src/lookup/code.js';
import { addWorkingMinutes, nextWorkingDay, workingHours, workingMinutesBetween, type Calendar } from '../../server/dossiers/workdays.js';
import { placeOf } from '../../server/dossiers/format.js';

const QR = '079085001234|023456789|Nguyễn Văn An|15031985|Nam|Số 12 đường Lê Lợi, phường Bến Thành, TP Hồ Chí Minh|20042021';

describe('the CCCD at the counter', () => {
  it('reads the QR text into the applicant fields', () => {
    expect(parseCccdQr(`${QR}\r\n`)).toEqual({
      ok: true,
      card: {
        idNumber: '079085001234',
        oldIdNumber: '023456789',
        fullName: 'Nguyễn Văn An',
        birthDate: '1985-03-15',
        gender: 'Nam',
        address: 'Số 12 đường Lê Lợi, phường Bến Thành, TP Hồ Chí Minh',
        issueDate: '2021-04-20',
      },
    });
    // No old ID, NFD input (some readers), extra trailing fields.
    const nfd = parseCccdQr('001190012345||Pha\u0323m Thi\u0323 Thu Trang|01021990|Nữ|Hà Nội|15082021|extra');
    expect(nfd).toMatchObject({ ok: true, card: { oldIdNumber: null, fullName: 'Phạm Thị Thu Trang' } });
    expect(looksLikeCccd(QR)).toBe(true);
    expect(looksLikeCccd('000.00.12.H40-221012-0001')).toBe(false);
  });

  it('says why a malformed or partial scan is refused, and fills nothing', () => {
    for (const [text, why] of [
      ['079085001234|023456789|Nguyễn Văn An|15031985', 'không đầy đủ'],
      [QR.replace('079085001234', '07908500123'), '12 chữ số'],
      [QR.replace('079085001234', '003085001234'), 'Mã tỉnh 003'],
      [QR.replace('15031985', '15031986'), 'năm sinh'],
      [QR.replace('15031985', '31021985'), 'Ngày sinh'],
      [QR.replace('20042021', '2004202'), 'Ngày cấp'],
      [QR.replace('|Nguyễn Văn An|', '|<b>|'), 'Họ tên'],
      [QR.replace('|023456789|', '|12|'), 'CMND'],
      [QR.replace('|Nam|', '||'), 'giới tính'],
    ] as const) {
      const r = parseCccdQr(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.reason, text).toContain(why);
    }
  });

  it('checks the number: 12 digits, a province code, the century and year of birth', () => {
    expect(idNumberProblem('079085001234')).toBeNull();
    expect(idNumberProblem('079085001234', '1985-01-01')).toBeNull();
    expect(idNumberProblem('001305001234', '2005-06-01')).toBeNull(); // 3: female, 2000s
    expect(idNumberProblem('001305001234', '1905-06-01')).not.toBeNull();
    expect(idNumberProblem('12345678901')).not.toBeNull();
    expect(idNumberProblem('097085001234')).not.toBeNull(); // no province 097
  });
});

describe('the lookup key and the kiosk prefix', () => {
  it('reads a code, CODE/KEY from the barcode, or the QR address', () => {
    expect(parseLookupInput(' 000.00.12.h40-221012-0001 ')).toEqual({ code: '000.00.12.H40-221012-0001', key: null });
    expect(parseLookupInput('000.00.12.H40-221012-0001/abcd2345')).toEqual({ code: '000.00.12.H40-221012-0001', key: 'ABCD2345' });
    expect(parseLookupInput('https://motcua.example.vn/lookup/?code=000.00.12.H40-221012-0001&key=ABCD2345')).toEqual({ code: '000.00.12.H40-221012-0001', key: 'ABCD2345' });
    expect(parseLookupInput('http://x/lookup/?code=000.00.12.H40-221012-0001')).toEqual({ code: '000.00.12.H40-221012-0001', key: null });
  });

  it("fills the hall's agency and today's date in: the number alone, or the date and the number", () => {
    const p = { agencyId: '000.00.12.H40', today: '261203' };
    expect(expandCode('000.00.12.H40-261203-12', p)).toBe('000.00.12.H40-261203-0012');
    expect(expandCode('12', p)).toBe('000.00.12.H40-261203-0012');
    expect(expandCode('000.00.12.H40-2611300007', p)).toBe('000.00.12.H40-261130-0007');
    expect(expandCode('261130-7', p)).toBe('000.00.12.H40-261130-0007');
    expect(expandCode('000.00.12.H40-221012-0001', p)).toBe('000.00.12.H40-221012-0001');
    expect(expandCode('12', null)).toBe('12');
  });
});

describe('working time', () => {
  const cal: Calendar = { holidays: new Set(['2026-11-24']), workdays: new Set() };
  const hours = workingHours('17:00');
  it('counts working minutes inside 07:30–11:30 and 13:00–17:00 of working days', () => {
    // Monday 10:00 + 6 h: 1.5 h to noon, 4 h afternoon, 0.5 h Tuesday morning.
    expect(addWorkingMinutes({ day: '2026-11-23', minute: 600 }, 360, cal, hours)).toEqual({ day: '2026-11-25', minute: 480 }); // 24/11 is a holiday
    expect(addWorkingMinutes({ day: '2026-11-20', minute: 17 * 60 }, 480, cal, hours)).toEqual({ day: '2026-11-23', minute: 17 * 60 }); // over the weekend
    expect(workingMinutesBetween({ day: '2026-11-20', minute: 600 }, { day: '2026-11-23', minute: 600 }, cal, hours)).toBe(480);
    expect(workingMinutesBetween({ day: '2026-11-23', minute: 12 * 60 }, { day: '2026-11-23', minute: 12 * 60 + 50 }, cal, hours)).toBe(0); // lunch
    expect(nextWorkingDay('2026-11-23', cal)).toBe('2026-11-25');
  });
  it('dates forms at the place named in the hall', () => {
    expect(placeOf('Trung tâm Phục vụ hành chính công xã Minh Hòa')).toBe('Minh Hòa');
    expect(placeOf('Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng')).toBe('Lâm Đồng');
    expect(placeOf('Bộ phận Một cửa')).toBe('Bộ phận Một cửa');
  });
});
