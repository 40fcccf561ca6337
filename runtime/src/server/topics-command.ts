/**
 * `streamlab topics list|create|delete|tail|produce`: small Kafka helpers for lessons, like kcat.
 */
import { createInterface } from 'node:readline';
import { RequestError } from './request-error.js';
import { TopicsService } from './topics-service.js';

/** Parsed arguments of the topics command. */
export interface TopicsArgs {
  action: string;
  topic?: string;
  partitions: number;
  from: 'earliest' | 'latest';
  key?: string;
  values: string[];
}

/** Runs one topics action against `bootstrap`; resolves with the exit code. */
export async function runTopicsCommand(args: TopicsArgs, bootstrap: string, io: { out(line: string): void; err(line: string): void }): Promise<number> {
  const topics = new TopicsService(bootstrap);
  const needTopic = (): string => {
    if (!args.topic) throw new RequestError('invalid-request', `streamlab topics ${args.action} needs a topic name.`);
    return args.topic;
  };
  try {
    switch (args.action) {
      case 'list':
        for (const t of await topics.list()) io.out(`${t.name}\t${t.partitions}`);
        return 0;
      case 'create':
        await topics.create(needTopic(), args.partitions);
        io.out(`created ${args.topic}`);
        return 0;
      case 'delete':
        await topics.delete(needTopic());
        io.out(`deleted ${args.topic}`);
        return 0;
      case 'produce': {
        const topic = needTopic();
        const values = args.values.length > 0 ? args.values : await readLines();
        for (const value of values) {
          const at = await topics.produce({ topic, key: args.key ?? null, value });
          io.out(`${topic}[${at.partition}]@${at.offset}`);
        }
        return 0;
      }
      case 'tail': {
        const topic = needTopic();
        await topics.tail(topic, args.from, (_id, r) => io.out(`${r.partition}\t${r.offset}\t${r.key ?? ''}\t${r.value ?? ''}`));
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        return 0;
      }
      default:
        io.err(`streamlab topics: unknown action '${args.action}'. Try: streamlab topics --help`);
        return 2;
    }
  } catch (e) {
    io.err(`streamlab topics: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await topics.close();
  }
}

async function readLines(): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) if (line.length > 0) lines.push(line);
  return lines;
}
