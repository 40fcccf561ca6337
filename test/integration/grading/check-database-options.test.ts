/**
 * A classroom's administrator URL sets `search_path` in its options; the check's own role must still
 * read and write its own schema, which the harness reads by unqualified names.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_DATABASE_ENV, openCheckDatabase } from '../../../runtime/src/lessons/check-database.js';
import { databaseUrl, freshName } from '../../services/inject.js';

describe('a check database under a classroom URL', () => {
  it('the harness reads in the check role\'s own schema, and the sandbox URL carries no admin options', async () => {
    const url = databaseUrl();
    const classroom = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${freshName('ada')}`)}`;
    const db = await openCheckDatabase({ [CHECK_DATABASE_ENV]: classroom });
    try {
      expect(await db.query('SHOW search_path')).toEqual([{ search_path: db.schema }]);
      expect(new URL(db.sandboxUrl).searchParams.get('options')).toBeNull();
    } finally {
      await db.close();
    }
  });
});
