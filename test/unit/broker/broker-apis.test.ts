/** The broker's APIs, one record each: ApiVersions' answer and the dispatch come from the list. */
import { describe, expect, it } from 'vitest';
import { API_VERSIONS, BROKER_APIS, brokerApiOf } from '../../../runtime/src/broker/apis/broker-apis.js';
import { ApiKey } from '../../../runtime/src/broker/protocol/api-keys.js';

describe('the API records', () => {
  it('advertise the pinned pre-flexible profile, in the order ApiVersions has always listed it', () => {
    expect(API_VERSIONS.map((r) => [r.apiKey, r.minVersion, r.maxVersion, r.implementedMin])).toEqual([
      [0, 0, 7, 3], [1, 4, 11, 4], [2, 1, 3, 1], [3, 0, 6, 0], [8, 2, 7, 2], [9, 1, 5, 1], [10, 0, 2, 0], [11, 0, 5, 0],
      [12, 0, 3, 0], [13, 0, 3, 0], [14, 0, 3, 0], [15, 0, 2, 0], [16, 0, 2, 0], [18, 0, 3, 0], [19, 0, 4, 0], [20, 0, 3, 0],
      [22, 0, 1, 0], [17, 0, 1, 1], [36, 0, 1, 0], [21, 0, 1, 0],
    ]);
  });

  it('name each key once, by Kafka\'s name, and parse inside what they advertise', () => {
    expect(BROKER_APIS.map((a) => [a.name, a.key]).sort((x, y) => (x[1] as number) - (y[1] as number))).toEqual(Object.entries(ApiKey).sort((x, y) => x[1] - y[1]));
    for (const api of BROKER_APIS) {
      expect(api.implementedMin).toBeGreaterThanOrEqual(api.advertised[0]);
      expect(api.implementedMin).toBeLessThanOrEqual(api.advertised[1]);
      expect(brokerApiOf(api.key)).toBe(api);
    }
    expect(brokerApiOf(23)).toBe(undefined);
  });
});
