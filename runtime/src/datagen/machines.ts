/**
 * Machine readings as CSV lines, the lesson 06 producer's rows: `id,temperature,vibration,pressure,rpm`,
 * one every `intervalMs`, with ids counting up from `firstId`. The readings follow the distributions
 * the lesson's model was trained on (`lessons/06-stream-inference/train.py`). Every `badEvery`-th row
 * (when set) is broken on purpose, in turn: a field left empty, a field that is not a number, and a
 * row cut short — what a real producer sends now and then.
 */
import { SeededRandom } from './random.js';

/** One generated line. */
export interface MachineRow {
  id: number;
  /** The CSV text as it goes to Kafka. */
  line: string;
  /** Epoch ms when it is produced. */
  atMs: number;
  /** Why the row is broken, when it is. */
  broken?: 'empty field' | 'not a number' | 'too few fields';
}

export interface MachineOptions {
  seed?: number;
  count?: number;
  startMs?: number;
  intervalMs?: number;
  firstId?: number;
  /** Every n-th row is broken (0: none). */
  badEvery?: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** The readings of one healthy row. */
export function machineReading(rnd: SeededRandom): [number, number, number, number] {
  return [
    round(rnd.gaussian(70, 9), 1),
    round(Math.abs(rnd.gaussian(3, 1.6)), 2),
    round(rnd.gaussian(100, 12), 1),
    Math.round(rnd.gaussian(1500, 220)),
  ];
}

/** A number as the producer writes it: `71.0`, not `71`. */
function csvNumber(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** Generates the rows, deterministically. */
export function generateMachineRows(options: MachineOptions = {}): MachineRow[] {
  const { seed = 6, count = 60, startMs = Date.UTC(2026, 10, 21, 10, 0, 0), intervalMs = 1000, firstId = 1, badEvery = 0 } = options;
  const rnd = new SeededRandom(seed);
  const rows: MachineRow[] = [];
  let broken = 0;
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const fields = machineReading(rnd).map(csvNumber);
    const row: MachineRow = { id, line: '', atMs: startMs + i * intervalMs };
    if (badEvery > 0 && (i + 1) % badEvery === 0) {
      const kind = (['empty field', 'not a number', 'too few fields'] as const)[broken++ % 3];
      const at = rnd.int(0, 3);
      if (kind === 'empty field') fields[at] = '';
      else if (kind === 'not a number') fields[at] = rnd.pick(['n/a', 'ERR', 'hot', '7l.3']);
      else fields.splice(2);
      row.broken = kind;
    }
    row.line = [String(id), ...fields].join(',');
    rows.push(row);
  }
  return rows;
}
