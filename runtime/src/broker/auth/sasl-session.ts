/**
 * One connection's authentication, as Kafka's SaslServerAuthenticator runs it:
 *
 *   PLAINTEXT listener   the connection is User:ANONYMOUS from the start; SaslHandshake and
 *                        SaslAuthenticate reach the request handlers and get ILLEGAL_SASL_STATE
 *   SASL_PLAINTEXT listener
 *     handshake          ApiVersions, or SaslHandshake(mechanism): an enabled mechanism moves on,
 *                        another gets UNSUPPORTED_SASL_MECHANISM and the connection is closed
 *     token              SaslAuthenticate(token) answers the mechanism's next message; a refused
 *                        exchange gets SASL_AUTHENTICATION_FAILED with Kafka's message, then close
 *     authenticated      every request, as User:<name>; SaslHandshake/SaslAuthenticate now get
 *                        ILLEGAL_SASL_STATE and the connection stays usable
 *   Any other request before `authenticated` closes the connection (Kafka: "Unexpected Kafka
 *   request of type X during SASL handshake").
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/errors.js';
import { ScramError, ScramServer, type ScramMechanism } from './scram.js';
import type { UserStore } from './user-store.js';

/** A SASL mechanism the broker can enable. */
export type SaslMechanism = 'PLAIN' | ScramMechanism;

/** Every mechanism this broker implements, in the order it lists them. */
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** What a listener requires of its connections. */
export interface ListenerSecurity {
  /** Enabled mechanisms; undefined for a PLAINTEXT listener. */
  readonly saslMechanisms?: readonly SaslMechanism[];
  readonly users: UserStore;
}

/** Principal of PLAINTEXT connections, as Kafka names it. */
export const ANONYMOUS = 'User:ANONYMOUS';

/** The answer to a SaslHandshake or SaslAuthenticate request. */
export interface SaslReply {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** The authentication state of one connection. */
export class SaslSession {
  private state: 'handshake' | 'token' | 'authenticated';
  private mechanism: SaslMechanism | undefined;
  private scram: ScramServer | undefined;
  /** `User:<name>` once authenticated (ANONYMOUS on a PLAINTEXT listener). */
  principal: string | undefined;
  /** Set when the reply just produced must be the connection's last. */
  closeAfterResponse = false;

  constructor(private readonly security: ListenerSecurity) {
    this.state = security.saslMechanisms ? 'handshake' : 'authenticated';
    if (!security.saslMechanisms) this.principal = ANONYMOUS;
  }

  /** Whether a request of this key may be handled now (otherwise the connection is closed). */
  allows(apiKey: number): boolean {
    if (this.state === 'authenticated') return true;
    if (apiKey === ApiKey.ApiVersions) return true;
    if (this.state === 'handshake') return apiKey === ApiKey.SaslHandshake;
    return apiKey === ApiKey.SaslAuthenticate;
  }

  /** SaslHandshake: the mechanisms the listener enables, and whether `mechanism` is one. */
  handshake(mechanism: string): { errorCode: number; mechanisms: readonly string[] } {
    const enabled = this.security.saslMechanisms ?? [];
    if (this.state !== 'handshake') return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: enabled };
    if (!enabled.includes(mechanism as SaslMechanism)) {
      this.closeAfterResponse = true;
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: enabled };
    }
    this.mechanism = mechanism as SaslMechanism;
    if (this.mechanism !== 'PLAIN') this.scram = new ScramServer(this.mechanism, (user) => this.security.users.credential(user, this.mechanism as ScramMechanism));
    this.state = 'token';
    return { errorCode: ErrorCode.NONE, mechanisms: enabled };
  }

  /** SaslAuthenticate: the mechanism's answer to one token, or Kafka's failure. */
  authenticate(token: Buffer): SaslReply {
    if (this.state !== 'token') {
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SaslAuthenticate request received after successful authentication', authBytes: EMPTY };
    }
    const mechanism = this.mechanism!;
    if (mechanism === 'PLAIN') return this.plain(token);
    try {
      const answer = this.scram!.evaluate(token);
      if (this.scram!.complete) this.authenticated(this.scram!.user!);
      return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: answer };
    } catch (e) {
      if (!(e instanceof ScramError)) throw e;
      // Kafka never says why (an unknown user and a wrong password look the same).
      return this.fail(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`);
    }
  }

  private plain(token: Buffer): SaslReply {
    // authzid NUL authcid NUL passwd
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) return this.fail('Authentication failed due to invalid credentials with SASL mechanism PLAIN');
    const [authzid, user, password] = parts as [string, string, string];
    if (!user) return this.fail('Authentication failed: username not specified');
    if (!password) return this.fail('Authentication failed: password not specified');
    if (authzid && authzid !== user) return this.fail('Authentication failed: Client requested an authorization id that is different from username');
    if (!this.security.users.verifyPassword(user, password)) return this.fail('Authentication failed: Invalid username or password');
    this.authenticated(user);
    return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: EMPTY };
  }

  private authenticated(user: string): void {
    this.state = 'authenticated';
    this.principal = `User:${user}`;
  }

  private fail(message: string): SaslReply {
    this.closeAfterResponse = true;
    return { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: message, authBytes: EMPTY };
  }
}
