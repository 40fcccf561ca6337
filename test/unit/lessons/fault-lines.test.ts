import { describe, expect, it } from 'vitest';
import { faultLines } from '../../../runtime/src/lessons/check-harness.js';

describe('faultLines', () => {
  it('says a mistake made on every answer once, with its count and the first case', () => {
    const problems = [1, 2, 3, 4, 5, 6].map((id) => ({ fault: 'key null instead of the input\'s id', detail: `batch 0: the output {"id":${id}} has key null, expected the input's id "${id}"` }));
    expect(faultLines(problems, 'answers')).toEqual([
      '6 answers: key null instead of the input\'s id; the first: batch 0: the output {"id":1} has key null, expected the input\'s id "1"',
    ]);
  });

  it('keeps different mistakes apart, in the order first met, and a single one as its own sentence', () => {
    expect(faultLines([
      { fault: 'an input that got no output', detail: 'batch 1: input 7' },
      { fault: 'a value that is not JSON', detail: 'input 8 is x' },
      { fault: 'an input that got no output', detail: 'batch 1: input 9' },
    ], 'answers')).toEqual(['2 answers: an input that got no output; the first: batch 1: input 7', 'a value that is not JSON: input 8 is x']);
  });

  it('shows at most `most` kinds and counts the rest', () => {
    const problems = ['a', 'b', 'c'].map((f) => ({ fault: f, detail: 'x' }));
    expect(faultLines(problems, 'rows', 2)).toEqual(['a: x', 'b: x', '… and 1 more kind of mistake']);
  });
});
