/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka's broker runs them: credentials are
 * stored as salt, iteration count, StoredKey and ServerKey (never the password), and one exchange is
 *
 *   client-first   n,[a=authzid],n=<user>,r=<client nonce>[,extensions]
 *   server-first   r=<client nonce><server nonce>,s=<base64 salt>,i=<iterations>
 *   client-final   c=<base64 gs2 header>,r=<nonce>,p=<base64 ClientProof>
 *   server-final   v=<base64 ServerSignature>
 *
 * with AuthMessage = client-first-bare "," server-first "," client-final-without-proof,
 * ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), accepted when H(ClientKey) = StoredKey.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A SCRAM mechanism. */
export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** What the broker keeps for one user and mechanism. */
export interface ScramCredential {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/** Kafka's minimum (and the default of kafka-configs --add-config SCRAM-SHA-512=[password=...]). */
export const SCRAM_ITERATIONS = 4096;

function hashName(m: ScramMechanism): 'sha256' | 'sha512' {
  return m === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

function hmac(m: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(hashName(m), key).update(data).digest();
}

/** Derives the stored credential of `password` (a fresh random salt unless one is given). */
export function scramCredential(m: ScramMechanism, password: string, iterations = SCRAM_ITERATIONS, salt = randomBytes(32)): ScramCredential {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m === 'SCRAM-SHA-256' ? 32 : 64, hashName(m));
  const clientKey = hmac(m, salted, 'Client Key');
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: createHash(hashName(m)).update(clientKey).digest('base64'),
    serverKey: hmac(m, salted, 'Server Key').toString('base64'),
  };
}

/** Why an exchange failed; the broker answers with Kafka's generic message, never this text. */
export class ScramError extends Error {
  override name = 'ScramError';
}

/** SCRAM's saslname: `=2C` is a comma and `=3D` an equals sign. */
function saslName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new ScramError('invalid user name encoding');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** `k=v,k=v` attributes; longer keys are extensions (Kafka's `tokenauth=true`), kept but unused. */
function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) throw new ScramError(`invalid attribute ${JSON.stringify(part)}`);
    out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** The server side of one SCRAM exchange. */
export class ScramServer {
  private state: 'first' | 'final' | 'done' = 'first';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';
  private credential: ScramCredential | undefined;
  /** The authenticated user, once the exchange succeeded. */
  user: string | undefined;

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string) => ScramCredential | undefined,
    private readonly serverNonce: () => string = () => randomBytes(18).toString('base64url'),
  ) {}

  /** Answers one client token; throws {@link ScramError} when the exchange fails. */
  evaluate(token: Buffer): Buffer {
    const text = token.toString('utf8');
    if (this.state === 'first') return this.first(text);
    if (this.state === 'final') return this.final(text);
    throw new ScramError('exchange already complete');
  }

  private first(text: string): Buffer {
    // gs2-header: "n" or "y" (no channel binding), then an optional "a=authzid", then the bare message.
    const m = /^([ny]),(a=[^,]*)?,(.*)$/.exec(text);
    if (!m) throw new ScramError('invalid client-first message');
    this.gs2Header = `${m[1]},${m[2] ?? ''},`;
    this.clientFirstBare = m[3]!;
    const attrs = attributes(this.clientFirstBare);
    const user = saslName(attrs.get('n') ?? '');
    const clientNonce = attrs.get('r');
    if (!user || !clientNonce) throw new ScramError('client-first message without user or nonce');
    const authzid = m[2] ? saslName(m[2].slice(2)) : '';
    if (authzid && authzid !== user) throw new ScramError('authorization id differs from user name');
    this.credential = this.lookup(user);
    if (!this.credential) throw new ScramError('unknown user');
    this.user = user;
    this.nonce = clientNonce + this.serverNonce();
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt},i=${this.credential.iterations}`;
    this.state = 'final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private final(text: string): Buffer {
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('client-final message without proof');
    const withoutProof = text.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== this.nonce) throw new ScramError('nonce mismatch');
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) throw new ScramError('channel binding mismatch');
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
    const cred = this.credential!;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(cred.storedKey, 'base64');
    const signature = hmac(this.mechanism, storedKey, authMessage);
    if (proof.length !== signature.length) throw new ScramError('invalid proof');
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
    const check = createHash(hashName(this.mechanism)).update(clientKey).digest();
    if (!timingSafeEqual(check, storedKey)) throw new ScramError('invalid credentials');
    this.state = 'done';
    const serverSignature = hmac(this.mechanism, Buffer.from(cred.serverKey, 'base64'), authMessage);
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }

  /** True once the client proved it knows the password. */
  get complete(): boolean {
    return this.state === 'done';
  }
}

/** Checks a password against a stored credential (PLAIN over SCRAM-stored users). */
export function scramVerify(m: ScramMechanism, cred: ScramCredential, password: string): boolean {
  const again = scramCredential(m, password, cred.iterations, Buffer.from(cred.salt, 'base64'));
  return timingSafeEqual(Buffer.from(again.storedKey, 'base64'), Buffer.from(cred.storedKey, 'base64'));
}
