import { describe, expect, it } from 'vitest';
import { parseRoles } from './roles';

describe('authority roles', () => {
  it('reads a comma-separated list, sorted, without repeats or blanks', () => {
    expect(parseRoles('restriction,mailing,data-request')).toEqual(['data-request', 'mailing', 'restriction']);
    expect(parseRoles(' mailing , mailing,')).toEqual(['mailing']);
  });

  it('refuses an unknown role, naming the known ones, and an empty list', () => {
    expect(() => parseRoles('mailing,admin')).toThrow(
      'unknown role "admin": the roles are restriction, mailing, data-request',
    );
    expect(() => parseRoles(' , ')).toThrow(/at least one role/);
  });
});
