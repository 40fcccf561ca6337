/**
 * Test access to kafkajs 2.2.4's own request encoders and response decoders (its internal
 * `src/protocol/requests` modules), so golden bytes come from a real client rather than from
 * our own encoder.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, any> };
const encodeFrame = require('kafkajs/src/protocol/request') as (args: any) => Promise<{ buffer: Buffer }>;

/** A kafkajs request definition at a version. */
function definition(apiName: string, version: number, args: unknown): { request: any; response: any } {
  return requests[apiName].protocol({ version })(args);
}

/** The complete frame (size, header, body) kafkajs sends for a request. */
export async function kafkajsRequestFrame(
  apiName: string,
  version: number,
  args: unknown,
  correlationId = 1,
  clientId = 'golden',
): Promise<Buffer> {
  const { request } = definition(apiName, version, args);
  const enc = await encodeFrame({ correlationId, clientId, request });
  return Buffer.from(enc.buffer);
}

/** Decodes a response body (the bytes after the correlation id) with kafkajs's decoder. */
export async function kafkajsDecodeResponse(apiName: string, version: number, body: Buffer): Promise<any> {
  const { response } = definition(apiName, version, {});
  return response.decode(body);
}
