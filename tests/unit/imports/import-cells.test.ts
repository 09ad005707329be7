// Cells as the forms take them: Excel's date serials and typed dates, numbers in full, mangled student
// numbers recognised, headers folded; and CSV bytes decoded whatever Excel saved them as.
import iconv from 'iconv-lite';
import { cellText, dayText, foldKey, isNumberMangled, serialToDay } from '../../../src/imports/import-cells';
import { decodeText } from '../../../src/imports/import-file';

describe('import cells', () => {
  it('reads Excel date serials (the 1900 system) as days', () => {
    expect(serialToDay(38443)).toBe('2005-04-01');
    expect(serialToDay(61)).toBe('1900-03-01');
    expect(serialToDay(45658.75)).toBe('2025-01-01');
    expect(serialToDay(60)).toBeUndefined(); // Excel's phantom 1900-02-29
    expect(serialToDay(3_000_000)).toBeUndefined();
  });

  it('takes a date as a serial, a date cell or the ways people type one, and leaves the rest as typed', () => {
    expect(dayText(38443)).toBe('2005-04-01');
    expect(dayText(new Date(Date.UTC(2004, 11, 31)))).toBe('2004-12-31');
    expect(dayText('2005/4/1')).toBe('2005-04-01');
    expect(dayText('2005.4.1')).toBe('2005-04-01');
    expect(dayText('2005年4月1日')).toBe('2005-04-01');
    expect(dayText('２００５－０４－０１')).toBe('2005-04-01');
    expect(dayText('2005-04-01 00:00:00')).toBe('2005-04-01');
    expect(dayText('1/4/2005')).toBe('1/4/2005');
    expect(dayText('')).toBe('');
  });

  it('writes numbers in full and booleans as Excel shows them', () => {
    expect(cellText(13800138000)).toBe('13800138000');
    expect(cellText(85.5)).toBe('85.5');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(null)).toBe('');
  });

  it('knows a student number that Excel turned into a number', () => {
    expect(isNumberMangled(2025000001)).toBe(true);
    expect(isNumberMangled('2.025E+09')).toBe(true);
    expect(isNumberMangled('2,025E+09')).toBe(true);
    expect(isNumberMangled('2025000001')).toBe(false);
    expect(isNumberMangled('S2025E01')).toBe(false);
  });

  it('folds headers: case, width, spaces and punctuation ignored', () => {
    expect(foldKey('Student_No')).toBe(foldKey('ｓｔｕｄｅｎｔ　ｎｏ'));
    expect(foldKey('学 号')).toBe('学号');
    expect(foldKey('Score (0-100)')).toBe('score0100');
  });
});

describe('CSV text', () => {
  const text = '学号,姓名\r\n2025000001,欧阳修\r\n';
  it('decodes UTF-8 with or without a BOM, GBK and UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeText(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
    expect(decodeText(iconv.encode(text, 'gbk'))).toBe(text);
    expect(decodeText(iconv.encode(text, 'gb18030'))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))).toBe(text);
  });
});
