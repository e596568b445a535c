import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

// One wording for sizes on every page and in the upload limit's error: binary units, as PACKAGE_UPLOAD_MAX_BYTES is stated.
describe('formatBytes', () => {
  it('counts small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
  });

  it('uses KiB, MiB and GiB, with one decimal below ten', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(2.25 * 1024 ** 3)).toBe('2.3 GiB');
  });
});
