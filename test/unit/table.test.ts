import { describe, it, expect } from 'vitest';
import { EMPTY_CELL, cell, layoutTable, renderTable } from '../../src/output/table.js';
import { displayWidth } from '../../src/output/text-width.js';

const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;

describe('cell', () => {
  it('keeps the plain text for measuring and styles what is printed', () => {
    expect(cell('ok', tag('b'))).toStrictEqual({ text: 'ok', out: '<b>ok</b>' });
    expect(cell('ok')).toStrictEqual({ text: 'ok', out: 'ok' });
  });

  it('does not style an empty cell', () => {
    expect(cell('', tag('b'))).toStrictEqual({ text: '', out: '' });
  });

  it('replaces each run of control characters with one space', () => {
    expect(cell('evil\u001b[2J\r\nname\t!')).toStrictEqual({ text: 'evil [2J name !', out: 'evil [2J name !' });
  });
});

describe('layoutTable', () => {
  it('makes each column as wide as its widest cell, by display width', () => {
    const t = layoutTable([
      [cell('语音'), cell('a'), cell('x')],
      [cell('image-01'), cell('bbb'), cell('y')],
      [cell('中文字'), cell('cc'), cell('z')],
    ]);
    expect(t.lines).toEqual(['语音      a    x', 'image-01  bbb  y', '中文字    cc   z']);
    expect(t.columnWidths).toEqual([8, 3, 0]);
    expect(t.maxWidth).toBe(16);
    for (const line of t.lines) expect(displayWidth(line)).toBe(16);
  });

  it('pads by the plain text, not by the styled output', () => {
    const t = layoutTable([
      [cell('a', tag('b')), cell('1', tag('ok'))],
      [cell('abc', tag('b')), cell('2')],
    ]);
    expect(t.lines).toEqual(['<b>a</b>    <ok>1</ok>', '<b>abc</b>  2']);
    expect(t.maxWidth).toBe(6);
  });

  it("never pads a row's last non-empty cell, so it does not widen its column", () => {
    const t = layoutTable([
      [cell('m'), cell('a very long last cell'), EMPTY_CELL, EMPTY_CELL],
      [cell('model'), cell('x'), cell('y'), cell('z')],
    ]);
    expect(t.lines).toEqual(['m      a very long last cell', 'model  x  y  z']);
    expect(t.maxWidth).toBe(28);
    for (const line of t.lines) expect(line).toBe(line.trimEnd());
  });

  it('leaves out a column empty in every row, with its gap', () => {
    const t = layoutTable([
      [cell('a'), EMPTY_CELL, cell('b')],
      [cell('cc'), EMPTY_CELL, cell('d')],
    ]);
    expect(t.lines).toEqual(['a   b', 'cc  d']);
  });

  it('pads an empty cell in a column that others fill', () => {
    const t = layoutTable([
      [cell('a'), EMPTY_CELL, cell('b')],
      [cell('c'), cell('xyz'), cell('d')],
    ]);
    expect(t.lines).toEqual(['a       b', 'c  xyz  d']);
  });

  it('takes rows of different lengths', () => {
    // 'dd' is its row's last cell: it does not widen the first column.
    expect(layoutTable([[cell('a'), cell('b'), cell('c')], [cell('dd')], []]).lines).toEqual(['a  b  c', 'dd', '']);
    expect(layoutTable([])).toStrictEqual({ lines: [], maxWidth: 0, columnWidths: [] });
  });

  it('uses the gap, and a per-column gap where one is given', () => {
    const rows = [[cell('a'), cell('b'), cell('c'), cell('d')]];
    expect(layoutTable(rows, { gap: 3 }).lines).toEqual(['a   b   c   d']);
    expect(layoutTable(rows, { gap: 2, gapBefore: { 2: 1 } }).lines).toEqual(['a  b c  d']);
    expect(layoutTable(rows, { gap: 2, gapBefore: { 2: 1 } }).maxWidth).toBe(9);
  });

  it('truncates one column to a width, printing a cut cell plain', () => {
    const t = layoutTable(
      [
        [cell('MiniMax-Hailuo-02', tag('b')), cell('80%')],
        [cell('image', tag('b')), cell('60%')],
      ],
      { truncate: { column: 0, width: 8 } },
    );
    expect(t.lines).toEqual(['MiniMax…  80%', '<b>image</b>     60%']);
    expect(t.columnWidths[0]).toBe(8);
  });

  it('truncates wide characters without splitting them', () => {
    const t = layoutTable([[cell('语音合成高清'), cell('x')]], { truncate: { column: 0, width: 6 } });
    expect(t.lines).toEqual(['语音…  x']);
    expect(t.maxWidth).toBe(8);
  });
});

describe('renderTable', () => {
  const rows = [
    ['report.pdf', '1.2 MB', 'uploaded'],
    ['a-very-long-file-name-for-a-voice-sample.mp3', '12 kB', 'processing'],
    ['语音样本.wav', '3 MB', 'ready'],
  ];

  it('prints a header row over the rows', () => {
    expect(renderTable({ headers: ['NAME', 'SIZE', 'STATUS'], rows: rows.slice(0, 1) })).toBe(
      ['NAME        SIZE    STATUS', 'report.pdf  1.2 MB  uploaded'].join('\n'),
    );
  });

  it('takes styled cells for headers and rows', () => {
    expect(renderTable({ headers: [cell('ID', tag('dim')), cell('NAME', tag('dim'))], rows: [['1', cell('x', tag('b'))]] })).toBe(
      ['<dim>ID</dim>  <dim>NAME</dim>', '1   <b>x</b>'].join('\n'),
    );
  });

  it('leaves a table that fits alone, and one without a column to shrink as it is', () => {
    const natural = renderTable({ rows });
    expect(renderTable({ rows, width: 200, shrinkColumn: 0 })).toBe(natural);
    expect(renderTable({ rows, width: 20 })).toBe(natural);
    expect(renderTable({ rows, width: 0, shrinkColumn: 0 })).toBe(natural);
  });

  it('fits a width by cutting the designated column', () => {
    const out = renderTable({ headers: ['NAME', 'SIZE', 'STATUS'], rows, width: 40, shrinkColumn: 0 });
    expect(out).toBe(
      [
        'NAME                  SIZE    STATUS',
        'report.pdf            1.2 MB  uploaded',
        'a-very-long-file-na…  12 kB   processing',
        '语音样本.wav          3 MB    ready',
      ].join('\n'),
    );
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });

  it('cuts a last column, which is not padded, until the table fits', () => {
    const out = renderTable({
      rows: [
        ['1', 'a short note'],
        ['2', 'a description that runs on and on past the edge'],
      ],
      width: 24,
      shrinkColumn: 1,
    });
    expect(out).toBe(['1  a short note', '2  a description that r…'].join('\n'));
  });

  it('cuts again when one cut by the excess is not enough', () => {
    // The first cut starts from the 20-column cell, which is unpadded; the widest line is the
    // second, whose first column is 15 wide, so it takes two cuts to fit.
    const out = renderTable({ rows: [['a'.repeat(20)], ['b'.repeat(15), 'c'.repeat(10)]], width: 20, shrinkColumn: 0 });
    expect(out).toBe(['aaaaaaa…', 'bbbbbbb…  cccccccccc'].join('\n'));
  });

  it('never cuts below the minimum, even if the table stays too wide', () => {
    const out = renderTable({ rows: [['abcdefghijkl', 'status-column']], width: 10, shrinkColumn: 0, shrinkMinWidth: 4 });
    expect(out).toBe('abc…  status-column');
    expect(renderTable({ rows: [['abcdefghijkl', 'x']], width: 5, shrinkColumn: 0 })).toBe('abcde…  x');
  });

  it('uses the gap', () => {
    expect(renderTable({ rows: [['a', 'b']], gap: 4 })).toBe('a    b');
  });

  it('returns an empty string for no rows and no header', () => {
    expect(renderTable({ rows: [] })).toBe('');
  });
});
