import { describe, expect, it } from 'vitest';
import { datasetColumns, headerNames, planFromSample } from './ingest-plan.js';

const base = { encoding: 'utf-8', bomLength: 0, delimiter: ',' } as const;
const limits = { maxColumns: 5, sampleRows: 100 };

describe('planFromSample', () => {
  it('plans names and types from the header and sample', () => {
    const plan = planFromSample('id,amount,when\n1,2.5,2024-01-01\n2,3,2024-01-02\n', true, base, limits);
    expect(plan).toMatchObject({
      hasHeader: true,
      names: ['id', 'amount', 'when'],
      types: ['integer', 'numeric', 'date'],
    });
    expect(datasetColumns(plan)).toEqual([
      { key: 'c1', name: 'id', type: 'integer', position: 0 },
      { key: 'c2', name: 'amount', type: 'numeric', position: 1 },
      { key: 'c3', name: 'when', type: 'date', position: 2 },
    ]);
  });

  it('names columns column_<n> when the file has no header', () => {
    const plan = planFromSample('1,true\n2,false\n', true, base, limits);
    expect(plan).toMatchObject({ hasHeader: false, names: ['column_1', 'column_2'], types: ['integer', 'boolean'] });
  });

  it.each([
    ['', 'The file is empty'],
    ['\n\n', 'The file is empty'],
    ['a,b,c\n', 'The file has a header but no rows'],
    ['a,b,c,d,e,f\n1,2,3,4,5,6\n', 'The file has 6 columns; at most 5 are supported'],
    ['a,"b\n', 'row 1: a quoted field is not closed before the end of the file'],
    ['id,amount,x,y,Amount\n1,2,3,4,5\n', "Duplicate column name 'amount' (columns 2 and 5)"],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => planFromSample(text, true, base, limits)).toThrow(reason);
  });
});

describe('headerNames', () => {
  it('trims names and auto-names blank ones', () => {
    expect(headerNames([' id ', '', 'note'])).toEqual(['id', 'column_2', 'note']);
  });
});
