import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkContext, StreamingContext } from '../../../runtime/src/engine/dstream/index.js';
import { harness } from './harness.js';

const DASHES = '-------------------------------------------';

describe('pprint', () => {
  it('prints PySpark\'s block: dashes, Time in the session zone, dashes, str() of up to num records, "..." and a blank line', async () => {
    const h = harness(10);
    h.clock.setTime(Date.UTC(2026, 10, 21, 10, 0, 0));
    const s = h.ssc.queueStream([[['s1', 21.5], ['s2', 19], ['s3', 20]], []] as [string, number][][]);
    s.pprint(2);
    s.map(([k]) => k).pprint();
    await h.runBatches(2);
    expect(h.stdout.join('')).toBe(
      [
        DASHES, 'Time: 2026-11-21 10:00:10', DASHES, "('s1', 21.5)", "('s2', 19)", '...', '',
        DASHES, 'Time: 2026-11-21 10:00:10', DASHES, 's1', 's2', 's3', '',
        DASHES, 'Time: 2026-11-21 10:00:20', DASHES, '',
        DASHES, 'Time: 2026-11-21 10:00:20', DASHES, '',
        '',
      ].join('\n'),
    );
  });

  it('shows microseconds for sub-second batch times and honours the time zone', async () => {
    const h = harness(0.5, { timeZone: 'Asia/Kolkata' });
    h.ssc.queueStream([[null, true, 'it\'s', { a: [1, 2] }, [7], ['t', new Date(Date.UTC(2026, 10, 21, 10, 0, 0, 250))], 1e-7]]).pprint();
    await h.runBatches(1);
    expect(h.stdout).toEqual([
      [DASHES, 'Time: 1970-01-01 05:30:00.500000', DASHES, 'None', 'True', "it's", "{'a': (1, 2)}", '(7,)', "('t', datetime.datetime(2026, 11, 21, 10, 0, 0, 250000))", '1e-07', '', ''].join('\n'),
    ]);
  });

  it('takes the zone from the SparkContext\'s spark.sql.session.timeZone', async () => {
    const clock = new ManualClock(0);
    const sc = new SparkContext({ conf: { 'spark.sql.session.timeZone': 'America/New_York' } });
    const out: string[] = [];
    const ssc = new StreamingContext(sc, 1, { clock, stdout: (t) => out.push(t) });
    ssc.queueStream([[1]]).pprint();
    ssc.start();
    clock.advance(1000);
    await ssc.awaitBatchCompleted(1000);
    ssc.stop();
    expect(sc.getConf().get('spark.sql.session.timeZone')).toBe('America/New_York');
    expect(out).toEqual([[DASHES, 'Time: 1969-12-31 19:00:01', DASHES, '1', '', ''].join('\n')]);
  });

  it('prints Scala\'s text under JVM semantics', async () => {
    const h = harness(1, { semantics: 'jvm' });
    h.ssc.queueStream([[['a', 1]]] as [string, number][][]).print();
    await h.runBatches(1);
    expect(h.stdout).toEqual([[DASHES, 'Time: 1000 ms', DASHES, '(a,1)', '', ''].join('\n')]);
  });
});
