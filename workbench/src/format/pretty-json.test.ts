import { describe, expect, it } from 'vitest';
import { prettyValue } from './pretty-json.js';

describe('prettyValue', () => {
  it('lays JSON out as JSON.stringify(…, null, 2) does', () => {
    const value = '{"id":17,"ok":true,"tags":["a","b"],"none":null,"empty":{},"list":[],"nested":{"x":[1,{"y":"z"}]}}';
    expect(prettyValue(value)).toBe(JSON.stringify(JSON.parse(value), null, 2));
  });

  it('keeps numbers, strings and their escapes exactly as the producer wrote them', () => {
    expect(prettyValue('{"prediction":0.0,"probability":[0.95,3.2386077994559824E-5,1e2]}')).toBe(
      '{\n  "prediction": 0.0,\n  "probability": [\n    0.95,\n    3.2386077994559824E-5,\n    1e2\n  ]\n}');
    expect(prettyValue('{ "a\\"b" : "x,{y}:\\\\" }')).toBe('{\n  "a\\"b": "x,{y}:\\\\"\n}');
  });

  it('shows anything else as it is', () => {
    expect(prettyValue(null)).toBe('null');
    expect(prettyValue('17,71.2,,99.4,1480.0')).toBe('17,71.2,,99.4,1480.0');
    expect(prettyValue('{"cut": ')).toBe('{"cut": ');
    expect(prettyValue('Node Name: sensor-1, Average Temp: 21.17')).toBe('Node Name: sensor-1, Average Temp: 21.17');
  });
});
