/**
 * The broker's SASL users (Kafka keeps them as SCRAM credentials set with `kafka-configs
 * --alter --add-config 'SCRAM-SHA-512=[password=...]' --entity-type users`). Each user has a
 * credential per SCRAM mechanism; PLAIN checks a password against the SHA-512 one. Passwords are
 * never stored. With a data directory the users live in `<dataDir>/users.json`.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isRecord, readJsonFile } from '../json-file.js';
import { join } from 'node:path';
import { scramCredential, scramVerify, type ScramCredential, type ScramMechanism } from './scram.js';

type UserCredentials = Partial<Record<ScramMechanism, ScramCredential>>;

/** SASL users with their SCRAM credentials. */
export class UserStore {
  private readonly users = new Map<string, UserCredentials>();
  private readonly path: string | undefined;

  constructor(dataDir?: string) {
    this.path = dataDir ? join(dataDir, 'users.json') : undefined;
    if (this.path && existsSync(this.path)) {
      const saved = readJsonFile(this.path, 'the SASL users', (v): v is Record<string, UserCredentials> => isRecord(v));
      for (const [name, creds] of Object.entries(saved)) this.users.set(name, creds);
    }
  }

  /** Creates or replaces `name` with credentials for `password` (both SCRAM mechanisms by default). */
  upsert(name: string, password: string, mechanisms: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512']): void {
    if (!name) throw new Error('a SASL user needs a name');
    const creds: UserCredentials = {};
    for (const m of mechanisms) creds[m] = scramCredential(m, password);
    this.users.set(name, creds);
    this.save();
  }

  /** Removes a user; true when it existed. */
  delete(name: string): boolean {
    const had = this.users.delete(name);
    if (had) this.save();
    return had;
  }

  /** User names, sorted. */
  names(): string[] {
    return [...this.users.keys()].sort();
  }

  /** The stored credential of `name` for a SCRAM mechanism. */
  credential(name: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.users.get(name)?.[mechanism];
  }

  /** PLAIN: whether `password` is `name`'s password. */
  verifyPassword(name: string, password: string): boolean {
    const creds = this.users.get(name);
    const m: ScramMechanism | undefined = creds?.['SCRAM-SHA-512'] ? 'SCRAM-SHA-512' : creds?.['SCRAM-SHA-256'] ? 'SCRAM-SHA-256' : undefined;
    return m !== undefined && scramVerify(m, creds![m]!, password);
  }

  private save(): void {
    if (!this.path) return;
    writeFileSync(`${this.path}.tmp`, JSON.stringify(Object.fromEntries(this.users)), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
  }
}
