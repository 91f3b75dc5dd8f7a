import { neutraliseCell, toCsv } from '../../api/csv';

describe('CSV written by Redress', () => {
  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")'])(
    'when a text cell starts like a formula (%j), then it is written inert, behind an apostrophe', (text) => {
      expect(neutraliseCell(text)).toBe(`'${text}`);
      const csv = toCsv([{ name: text }], ['name']);
      expect(csv.split('\n')[1]!.replace(/^"/, '')).toMatch(/^'/);
    });

  it('when a cell is ordinary text or a number, then it is written as it is (negative numbers stay numbers)', () => {
    expect(toCsv([{ name: 'National Police Service', n: -5, m: 1200 }], ['name', 'n', 'm'])).toBe('name,n,m\nNational Police Service,-5,1200\n');
  });
});
