/**
 * Every API this broker speaks, one record each: the broker's API surface. ApiVersions answers with
 * the advertised ranges of this list, and the server dispatches by it; nothing else lists APIs.
 */
import { encodeApiVersionsResponse, decodeApiVersionsRequest } from '../protocol/api-versions.js';
import { ApiKey, type ApiVersionRange } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/errors.js';
import { Writer } from '../protocol/writer.js';
import { saslAuthenticateApi, saslHandshakeApi } from './auth-apis.js';
import { brokerApi, type AnyBrokerApi } from './broker-api.js';
import { fetchApi, listOffsetsApi } from './fetch-apis.js';
import {
  describeGroupsApi, findCoordinatorApi, heartbeatApi, joinGroupApi, leaveGroupApi, listGroupsApi, offsetCommitApi, offsetFetchApi, syncGroupApi,
} from './group-apis.js';
import { initProducerIdApi, produceApi } from './produce-apis.js';
import { createTopicsApi, deleteRecordsApi, deleteTopicsApi, metadataApi } from './topic-apis.js';

/** ApiVersions' body; with UNSUPPORTED_VERSION it is written in the v0 format, so a client can step down. */
export function apiVersionsBody(version: number, errorCode: number): Buffer {
  const w = new Writer();
  encodeApiVersionsResponse(w, version, { errorCode, apiKeys: API_VERSIONS, throttleTimeMs: 0 });
  return w.toBuffer();
}

/** ApiVersions: the ranges below. */
export const apiVersionsApi = brokerApi({
  name: 'ApiVersions', key: ApiKey.ApiVersions, advertised: [0, 3], implementedMin: 0,
  decode: decodeApiVersionsRequest,
  handle: (_req, { version }) => apiVersionsBody(version, ErrorCode.NONE),
});

/** Every API, in the order ApiVersions lists them (new ones go at the end: the answer's bytes stay put). */
export const BROKER_APIS: readonly AnyBrokerApi[] = [
  produceApi, fetchApi, listOffsetsApi, metadataApi, offsetCommitApi, offsetFetchApi, findCoordinatorApi, joinGroupApi,
  heartbeatApi, leaveGroupApi, syncGroupApi, describeGroupsApi, listGroupsApi, apiVersionsApi, createTopicsApi, deleteTopicsApi,
  initProducerIdApi, saslHandshakeApi, saslAuthenticateApi, deleteRecordsApi,
];

/** The version ranges ApiVersions advertises, from the records. */
export const API_VERSIONS: readonly ApiVersionRange[] = BROKER_APIS.map((api) => ({
  apiKey: api.key, minVersion: api.advertised[0], maxVersion: api.advertised[1], implementedMin: api.implementedMin,
}));

const byKey = new Map(BROKER_APIS.map((api) => [api.key, api]));

/** The record of an API key, or undefined when this broker does not speak it. */
export function brokerApiOf(key: number): AnyBrokerApi | undefined {
  return byKey.get(key);
}
