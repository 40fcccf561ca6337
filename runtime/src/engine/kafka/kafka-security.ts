/**
 * How a Kafka client authenticates, read from its settings with the Java client's rules and messages,
 * and checked against what a listener requires. Every layer that talks to Kafka uses it: Spark's
 * `kafka.*` options, the Java properties of `kafka.security.protocol`/`kafka.sasl.mechanism`/
 * `kafka.sasl.jaas.config`, and kafka-python's `security_protocol`/`sasl_mechanism`/`sasl_plain_*`.
 *
 *   security.protocol   PLAINTEXT (default) | SASL_PLAINTEXT | SSL | SASL_SSL (no TLS here)
 *   sasl.mechanism      GSSAPI (Kafka's default) | PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
 *   sasl.jaas.config    <LoginModule class> <flag> [<key>=<value>]* ;     (Kafka's JaasConfig grammar:
 *                       words, or values in double or single quotes; // and /* *\/ comments; exactly
 *                       one login module; flag required|requisite|sufficient|optional)
 *
 * A listener with SASL checks a client like a broker does: a PLAINTEXT client is disconnected before
 * it can fetch metadata, a disabled mechanism is refused, and wrong credentials get Kafka's message.
 */

/** A SASL mechanism a client can use with this runtime's Kafka. */
export type KafkaSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** What a client presents. */
export type KafkaClientSecurity =
  | { readonly protocol: 'PLAINTEXT' }
  | { readonly protocol: 'SASL_PLAINTEXT'; readonly mechanism: KafkaSaslMechanism; readonly username: string; readonly password: string };

/** What a listener requires: nothing, or SASL with these mechanisms and users. */
export interface KafkaListenerSecurity {
  readonly mechanisms: readonly KafkaSaslMechanism[];
  /** Whether `password` is `username`'s password. */
  verify(username: string, password: string): boolean;
}

/** An error with the Java class name Spark would print (`SaslAuthenticationException`, ...). */
export class KafkaSecurityError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'KAFKA_AUTH';
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const illegal = (message: string) => new KafkaSecurityError('IllegalArgumentException', message);

const MODULES: Record<string, string> = {
  'org.apache.kafka.common.security.scram.ScramLoginModule': 'scram',
  'org.apache.kafka.common.security.plain.PlainLoginModule': 'plain',
};

/** One login module of a JAAS config. */
export interface JaasEntry {
  readonly loginModule: string;
  readonly controlFlag: string;
  readonly options: Readonly<Record<string, string>>;
}

type Token = { kind: 'word' | 'quoted'; text: string } | { kind: 'number' } | { kind: 'char'; char: string };

/** Tokens as java.io.StreamTokenizer gives them to Kafka's JaasConfig. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const isWordStart = (c: string) => /[A-Za-z_$\-\u0080-\uffff]/.test(c);
  const isWordPart = (c: string) => /[A-Za-z0-9_$.\-\u0080-\uffff]/.test(c);
  while (i < text.length) {
    const c = text[i]!;
    if (c <= ' ') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c && text[j] !== '\n') {
        if (text[j] === '\\' && j + 1 < text.length) {
          const n = text[j + 1]!;
          s += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[n] ?? n;
          j += 2;
        } else {
          s += text[j++];
        }
      }
      out.push({ kind: 'quoted', text: s });
      i = j + 1;
    } else if (isWordStart(c)) {
      let j = i;
      while (j < text.length && isWordPart(text[j]!)) j++;
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    } else if (/[0-9.]/.test(c)) {
      // A number: StreamTokenizer keeps no text for it, so Kafka reads no value (quote it).
      let j = i;
      while (j < text.length && /[0-9.]/.test(text[j]!)) j++;
      out.push({ kind: 'number' });
      i = j;
    } else {
      out.push({ kind: 'char', char: c });
      i++;
    }
  }
  return out;
}

/** Parses a `sasl.jaas.config` value with the rules (and messages) of Kafka's JaasConfig. */
export function parseJaasConfig(text: string): JaasEntry[] {
  const t = tokens(text);
  const sval = (k: Token | undefined): string | null => (k && (k.kind === 'word' || k.kind === 'quoted') ? k.text : null);
  const entries: JaasEntry[] = [];
  let i = 0;
  while (i < t.length) {
    const loginModule = sval(t[i++]);
    if (loginModule === null) throw illegal('Login module not specified in JAAS config');
    if (i >= t.length) throw illegal('Login module control flag not specified in JAAS config');
    const flag = sval(t[i++]) ?? '';
    if (!['required', 'requisite', 'sufficient', 'optional'].includes(flag.toLowerCase())) throw illegal(`Invalid login module control flag '${flag}' in JAAS config`);
    const options: Record<string, string> = {};
    while (i < t.length && !(t[i]!.kind === 'char' && (t[i] as { char: string }).char === ';')) {
      const key = sval(t[i++]) ?? 'null';
      const eq = t[i++];
      const value = sval(t[i++]);
      if (!eq || eq.kind !== 'char' || eq.char !== '=' || value === null) throw illegal(`Value not specified for key '${key}' in JAAS config`);
      options[key] = value;
    }
    if (i >= t.length) throw illegal('JAAS config entry not terminated by semi-colon');
    i++;
    entries.push({ loginModule, controlFlag: flag.toLowerCase(), options });
  }
  if (entries.length === 0) throw illegal('Login module not specified in JAAS config');
  return entries;
}

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

/**
 * The security of a Java client from its properties (`security.protocol`, `sasl.mechanism`,
 * `sasl.jaas.config`), looked up by `get` (Spark's source and sink pass `kafka.`-prefixed options).
 */
export function javaClientSecurity(get: (property: string) => string | undefined): KafkaClientSecurity {
  const protocol = (get('security.protocol') ?? 'PLAINTEXT').trim().toUpperCase();
  if (!PROTOCOLS.includes(protocol)) {
    throw new KafkaSecurityError('ConfigException', `Invalid value ${get('security.protocol')} for configuration security.protocol: String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`);
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    throw illegal(`security.protocol ${protocol} needs TLS, which this Kafka does not offer: use SASL_PLAINTEXT`);
  }
  if (protocol === 'PLAINTEXT') return { protocol: 'PLAINTEXT' };
  const mechanism = (get('sasl.mechanism') ?? 'GSSAPI').trim().toUpperCase();
  if (mechanism === 'GSSAPI') {
    throw illegal('sasl.mechanism is GSSAPI (Kerberos), Kafka\'s default when it is not set, and this Kafka offers only PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512: set sasl.mechanism');
  }
  if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
    throw new KafkaSecurityError('SaslAuthenticationException', `Failed to create SaslClient with mechanism ${mechanism}`);
  }
  const jaas = get('sasl.jaas.config');
  if (jaas === undefined || jaas.trim() === '') {
    throw illegal('Could not find a \'KafkaClient\' entry in the JAAS configuration. System property \'java.security.auth.login.config\' is not set');
  }
  const entries = parseJaasConfig(jaas);
  if (entries.length !== 1) throw illegal(`JAAS config property contains ${entries.length} login modules, should be 1 module`);
  const entry = entries[0]!;
  if (!MODULES[entry.loginModule]) {
    throw new KafkaSecurityError('LoginException', `unable to find LoginModule class: ${entry.loginModule}`);
  }
  return { protocol: 'SASL_PLAINTEXT', mechanism, username: entry.options.username ?? '', password: entry.options.password ?? '' };
}

/** The security of a kafka-python client from its settings (`security_protocol`, `sasl_mechanism`, `sasl_plain_username`, `sasl_plain_password`). */
export function pythonClientSecurity(config: Readonly<Record<string, unknown>>): KafkaClientSecurity {
  const protocol = String(config.security_protocol ?? 'PLAINTEXT').toUpperCase();
  if (!PROTOCOLS.includes(protocol)) throw illegal(`security_protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL; got ${String(config.security_protocol)}`);
  if (protocol === 'SSL' || protocol === 'SASL_SSL') throw illegal(`security_protocol ${protocol} needs TLS, which this Kafka does not offer: use SASL_PLAINTEXT`);
  if (protocol === 'PLAINTEXT') return { protocol: 'PLAINTEXT' };
  const mechanism = String(config.sasl_mechanism ?? '').toUpperCase();
  if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
    throw illegal(`sasl_mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 for security_protocol SASL_PLAINTEXT; got ${config.sasl_mechanism === undefined ? 'none' : String(config.sasl_mechanism)}`);
  }
  const username = config.sasl_plain_username;
  const password = config.sasl_plain_password;
  if (typeof username !== 'string' || typeof password !== 'string') throw illegal(`sasl_plain_username and sasl_plain_password are required for ${mechanism}`);
  return { protocol: 'SASL_PLAINTEXT', mechanism, username, password };
}

/** A SASL listener with `mechanisms` where the users of `users` (username → password) exist. */
export function saslListener(mechanisms: readonly KafkaSaslMechanism[], users: Readonly<Record<string, string>>): KafkaListenerSecurity {
  return { mechanisms, verify: (username, password) => Object.hasOwn(users, username) && users[username] === password };
}

/**
 * What a SASL listener does with a client, as a broker would: throws for a PLAINTEXT client, a
 * mechanism it does not enable, or credentials it refuses (Kafka's messages); returns the principal.
 */
export function authenticateClient(listener: KafkaListenerSecurity, client: KafkaClientSecurity): string {
  if (client.protocol === 'PLAINTEXT') {
    throw new KafkaSecurityError(
      'KafkaException',
      'Disconnected by the broker before authenticating: its listener requires SASL, and the client connected with security.protocol PLAINTEXT. '
        + 'Set kafka.security.protocol=SASL_PLAINTEXT, kafka.sasl.mechanism and kafka.sasl.jaas.config (kafka-python: security_protocol, sasl_mechanism, sasl_plain_username, sasl_plain_password).',
    );
  }
  if (!listener.mechanisms.includes(client.mechanism)) {
    throw new KafkaSecurityError('UnsupportedSaslMechanismException', `Client SASL mechanism '${client.mechanism}' not enabled in the server, enabled mechanisms are [${listener.mechanisms.join(', ')}]`);
  }
  if (!listener.verify(client.username, client.password)) {
    throw new KafkaSecurityError(
      'SaslAuthenticationException',
      client.mechanism === 'PLAIN'
        ? 'Authentication failed: Invalid username or password'
        : `Authentication failed during authentication due to invalid credentials with SASL mechanism ${client.mechanism}`,
    );
  }
  return `User:${client.username}`;
}
