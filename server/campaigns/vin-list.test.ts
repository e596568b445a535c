import { describe, expect, it } from 'vitest';
import { parseVinCsv, parseVinText } from './vin-list';

describe('VIN lists as operators paste or upload them', () => {
  it('reads VINs one per line or comma separated, once each', () => {
    expect(parseVinText('VIN00000000000001\nVIN00000000000002, VIN00000000000003;VIN00000000000001\n\n')).toEqual(['VIN00000000000001', 'VIN00000000000002', 'VIN00000000000003']);
  });

  it('takes the column named vin when the CSV has that header', () => {
    expect(parseVinCsv('model,VIN,region\r\nAurora,VIN00000000000001,JP\r\nBoreal,"VIN00000000000002",EU\r\n')).toEqual(['VIN00000000000001', 'VIN00000000000002']);
  });

  it('takes the first column without a header, and skips a header that is not a VIN', () => {
    expect(parseVinCsv('VIN00000000000001,Aurora\nVIN00000000000002,Boreal\n')).toEqual(['VIN00000000000001', 'VIN00000000000002']);
    expect(parseVinCsv('\uFEFFvehicle id\nvinUpdate20231008\n12345678901234567\n')).toEqual(['vinUpdate20231008', '12345678901234567']);
    expect(parseVinCsv('')).toEqual([]);
  });
});
