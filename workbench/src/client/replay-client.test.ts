import { describe, expect, it } from 'vitest';
import { structuredWindowsSession } from '../fixtures/sessions.js';
import { ReplayClient } from './replay-client.js';

describe('ReplayClient.request', () => {
  it('answers what the recording holds with the typed reply the runtime would send', async () => {
    const client = new ReplayClient(structuredWindowsSession, 0);
    const reply = await client.request('db.tables', {});
    expect(reply).toEqual({ kind: 'db.tables.ok', id: 'replay-db.tables', tables: [{ schema: 'public', name: 'sensor_averages', columns: [] }] });
  });

  it('refuses what a recording cannot answer, with the protocol\'s code', async () => {
    const client = new ReplayClient(structuredWindowsSession, 0);
    await expect(client.request('topics.delete', { topic: 'report' })).rejects.toMatchObject({ code: 'not-implemented', message: 'A recorded session cannot answer topics.delete.' });
  });
});

describe('ReplayClient and the lesson\'s data', () => {
  it('says that replaying, extra records and clearing a topic need a live runtime', async () => {
    const client = new ReplayClient(structuredWindowsSession, 0);
    await expect(client.replayData()).rejects.toMatchObject({ code: 'not-implemented', message: 'A recorded session cannot play the lesson\'s data again: Replay data needs a live runtime (open the URL printed by `streamlab start`).' });
    await expect(client.sendExtra()).rejects.toMatchObject({ code: 'not-implemented', message: 'A recorded session cannot send records: the lesson\'s extra records need a live runtime (open the URL printed by `streamlab start`).' });
    await expect(client.clearTopic()).rejects.toMatchObject({ code: 'not-implemented', message: 'A recorded session cannot clear topics: that needs a live runtime (open the URL printed by `streamlab start`).' });
  });
});
