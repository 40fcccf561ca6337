/** Authentication on a SASL listener (the connection's SaslSession): SaslHandshake and SaslAuthenticate. */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeSaslAuthenticateRequest, encodeSaslAuthenticateResponse } from '../protocol/sasl-authenticate.js';
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse } from '../protocol/sasl-handshake.js';
import { Writer } from '../protocol/writer.js';
import { brokerApi } from './broker-api.js';

/** SaslHandshake: picks the mechanism. v0 (the token outside Kafka's framing) is advertised but refused. */
export const saslHandshakeApi = brokerApi({
  name: 'SaslHandshake', key: ApiKey.SaslHandshake, advertised: [0, 1], implementedMin: 1,
  decode: decodeSaslHandshakeRequest,
  handle(req, { version, session }) {
    const w = new Writer();
    encodeSaslHandshakeResponse(w, version, session.handshake(req.mechanism));
    return w.toBuffer();
  },
});

/** SaslAuthenticate: one step of the mechanism's exchange. */
export const saslAuthenticateApi = brokerApi({
  name: 'SaslAuthenticate', key: ApiKey.SaslAuthenticate, advertised: [0, 1], implementedMin: 0,
  decode: decodeSaslAuthenticateRequest,
  handle(req, { version, session }) {
    const w = new Writer();
    encodeSaslAuthenticateResponse(w, version, session.authenticate(req.authBytes));
    return w.toBuffer();
  },
});
