import { describe, expect, it } from 'vitest';
import { readDigits, readLetter, readNumber, readTicketNumber } from '../../hardware/voice/vietnamese.js';

describe('readNumber (Vietnamese, Northern defaults)', () => {
  const cases: [number, string][] = [
    [0, 'không'],
    [1, 'một'],
    [4, 'bốn'],
    [5, 'năm'],
    [7, 'bảy'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [19, 'mười chín'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [31, 'ba mươi mốt'],
    [55, 'năm mươi lăm'],
    [90, 'chín mươi'],
    [99, 'chín mươi chín'],
    [100, 'một trăm'],
    [101, 'một trăm linh một'],
    [104, 'một trăm linh bốn'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [111, 'một trăm mười một'],
    [115, 'một trăm mười lăm'],
    [121, 'một trăm hai mươi mốt'],
    [124, 'một trăm hai mươi tư'],
    [205, 'hai trăm linh năm'],
    [999, 'chín trăm chín mươi chín'],
    [1000, 'một nghìn'],
    [1001, 'một nghìn không trăm linh một'],
    [1005, 'một nghìn không trăm linh năm'],
    [1010, 'một nghìn không trăm mười'],
    [1015, 'một nghìn không trăm mười lăm'],
    [1023, 'một nghìn không trăm hai mươi ba'],
    [1100, 'một nghìn một trăm'],
    [1234, 'một nghìn hai trăm ba mươi tư'],
    [2024, 'hai nghìn không trăm hai mươi tư'],
    [10000, 'mười nghìn'],
    [10005, 'mười nghìn không trăm linh năm'],
    [15000, 'mười lăm nghìn'],
    [21000, 'hai mươi mốt nghìn'],
    [100000, 'một trăm nghìn'],
    [105000, 'một trăm linh năm nghìn'],
    [1000000, 'một triệu'],
    [1000001, 'một triệu không trăm linh một'],
    [1005000, 'một triệu không trăm linh năm nghìn'],
    [2000500, 'hai triệu năm trăm'],
    [1000000000, 'một tỷ'],
    [1000000005, 'một tỷ không trăm linh năm'],
    [2500000000, 'hai tỷ năm trăm triệu'],
    [1000000000000, 'một nghìn tỷ'],
    [-5, 'âm năm'],
  ];
  it.each(cases)('%i → %s', (n, words) => {
    expect(readNumber(n)).toBe(words);
  });

  it('takes the Southern choices as options', () => {
    const south = { zeroTens: 'lẻ', fourAfterTens: 'bốn', thousand: 'ngàn' } as const;
    expect(readNumber(105, south)).toBe('một trăm lẻ năm');
    expect(readNumber(24, south)).toBe('hai mươi bốn');
    expect(readNumber(1023, south)).toBe('một ngàn không trăm hai mươi ba');
    expect(readNumber(2004, south)).toBe('hai ngàn không trăm lẻ bốn');
    expect(readNumber(14, south)).toBe('mười bốn');
  });

  it('refuses what is not a safe integer', () => {
    expect(() => readNumber(1.5)).toThrow(RangeError);
    expect(() => readNumber(Number.NaN)).toThrow(RangeError);
    expect(() => readNumber(2 ** 60)).toThrow(RangeError);
  });
});

describe('digits, letters and ticket numbers', () => {
  it('reads digits one by one', () => {
    expect(readDigits('023')).toBe('không hai ba');
    expect(readDigits('1005')).toBe('một không không năm');
  });

  it('names letters the Vietnamese way', () => {
    const letters: [string, string][] = [
      ['A', 'a'],
      ['B', 'bê'],
      ['C', 'xê'],
      ['D', 'dê'],
      ['Đ', 'đê'],
      ['E', 'e'],
      ['G', 'giê'],
      ['H', 'hát'],
      ['K', 'ca'],
      ['L', 'e lờ'],
      ['Q', 'quy'],
      ['S', 'ét xì'],
      ['X', 'ích xì'],
      ['b', 'bê'],
    ];
    for (const [letter, name] of letters) expect(readLetter(letter)).toBe(name);
  });

  it('reads a ticket number as a number or digit by digit', () => {
    expect(readTicketNumber('A023', 'number')).toBe('a, hai mươi ba');
    expect(readTicketNumber('A023', 'digits')).toBe('a, không hai ba');
    expect(readTicketNumber('B105', 'number')).toBe('bê, một trăm linh năm');
    expect(readTicketNumber('1023', 'number')).toBe('một nghìn không trăm hai mươi ba');
    expect(readTicketNumber('1023', 'digits')).toBe('một không hai ba');
    expect(readTicketNumber('AB001', 'number')).toBe('a bê, một');
    expect(readTicketNumber('K024', 'number', { fourAfterTens: 'bốn' })).toBe('ca, hai mươi bốn');
    expect(readTicketNumber('A-1', 'number')).toBe('a, một');
    expect(readTicketNumber('X1Y', 'number')).toBe('ích xì một i dài');
  });
});
