import { describe, expect, it } from 'vitest';
import { topicNameParts } from './sl-topics-panel.js';

describe('topic names in the Topics panel', () => {
  it('break only after a dot, underscore or dash, so a word is never cut', () => {
    expect(topicNameParts('sensors.temperature')).toEqual(['sensors.', 'temperature']);
    expect(topicNameParts('report')).toEqual(['report']);
    expect(topicNameParts('lambda.speed_layer-v2')).toEqual(['lambda.', 'speed_', 'layer-', 'v2']);
    expect(topicNameParts('a..b.')).toEqual(['a..', 'b.']);
    expect(topicNameParts('.x')).toEqual(['.', 'x']);
  });
});
