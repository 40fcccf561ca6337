/**
 * The SCRAM server against RFC 7677's SCRAM-SHA-256 example exchange (user "user", password "pencil"),
 * and SHA-512 against a client computed here from the RFC 5802 formulas.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramCredential, ScramError, ScramServer, scramVerify, type ScramMechanism } from '../../../runtime/src/broker/auth/scram.js';

const RFC_SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');

describe('SCRAM server', () => {
  it('runs RFC 7677\'s SCRAM-SHA-256 example exchange byte for byte', () => {
    const cred = scramCredential('SCRAM-SHA-256', 'pencil', 4096, RFC_SALT);
    const server = new ScramServer('SCRAM-SHA-256', (u) => (u === 'user' ? cred : undefined), () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    const first = server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(first.toString()).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    const final = server.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='));
    expect(final.toString()).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    expect([server.complete, server.user]).toEqual([true, 'user']);
  });

  it('refuses a proof made with another password, an unknown user and a changed nonce', () => {
    const cred = scramCredential('SCRAM-SHA-256', 'pencil', 4096, RFC_SALT);
    const lookup = (u: string) => (u === 'user' ? cred : undefined);
    const wrong = new ScramServer('SCRAM-SHA-256', lookup, () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    wrong.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(() => wrong.evaluate(Buffer.from(`c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=${Buffer.alloc(32, 7).toString('base64')}`))).toThrow(ScramError);
    expect(() => new ScramServer('SCRAM-SHA-256', lookup).evaluate(Buffer.from('n,,n=nobody,r=abc'))).toThrow('unknown user');
    const nonce = new ScramServer('SCRAM-SHA-256', lookup, () => 'S');
    nonce.evaluate(Buffer.from('n,,n=user,r=C'));
    expect(() => nonce.evaluate(Buffer.from('c=biws,r=CX,p=AAAA'))).toThrow('nonce mismatch');
  });

  it('completes SCRAM-SHA-512 with a client that follows RFC 5802', () => {
    const m: ScramMechanism = 'SCRAM-SHA-512';
    const cred = scramCredential(m, 's3cret-pw');
    const server = new ScramServer(m, () => cred);
    const clientFirstBare = 'n=spark-consumer,r=clientnonce';
    const serverFirst = server.evaluate(Buffer.from(`n,,${clientFirstBare}`)).toString();
    const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
    const salted = pbkdf2Sync('s3cret-pw', Buffer.from(attrs.s!, 'base64'), Number(attrs.i), 64, 'sha512');
    const clientKey = createHmac('sha512', salted).update('Client Key').digest();
    const storedKey = createHash('sha512').update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs.r}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac('sha512', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!)).toString('base64');
    const final = server.evaluate(Buffer.from(`${withoutProof},p=${proof}`)).toString();
    const serverKey = createHmac('sha512', salted).update('Server Key').digest();
    expect(final).toBe(`v=${createHmac('sha512', serverKey).update(authMessage).digest('base64')}`);
    expect(scramVerify(m, cred, 's3cret-pw')).toBe(true);
    expect(scramVerify(m, cred, 's3cret-pW')).toBe(false);
  });
});
