/**
 * Entry point. Picks the runtime client from the URL:
 *   ?token=…            the live runtime that served this page (the token stays in the address bar: the
 *                       runtime serves the page itself only to URLs that carry it, so a reload needs it)
 *   ?replay=<name>      a recorded session, no runtime needed
 *   neither             the static build (`npm run build:static`): the runtime in this page itself,
 *                       engine and pipelines in Web Workers (browser/browser-client.ts); any other build:
 *                       the page that explains how to open Streamlab
 */
import './session/sl-session.js';
import './elements/sl-app.js';
import './elements/sl-no-token.js';
import { LiveClient } from './client/live-client.js';
import { ReplayClient } from './client/replay-client.js';
import type { RuntimeClient } from './client/runtime-client.js';
import { recordedSessions } from './fixtures/sessions.js';

async function chooseClient(): Promise<RuntimeClient | null> {
  const url = new URL(location.href);
  const replay = url.searchParams.get('replay');
  const recorded = replay ? recordedSessions[replay] : undefined;
  if (recorded) return new ReplayClient(recorded(), 1);
  const token = url.searchParams.get('token');
  if (token) return new LiveClient({ url: LiveClient.urlFor(location, token), token });
  if (import.meta.env.MODE !== 'static') return null;
  const { BrowserClient } = await import('./browser/browser-client.js');
  return new BrowserClient();
}

const client = await chooseClient();
if (client) {
  const session = document.createElement('sl-session');
  session.append(document.createElement('sl-app'));
  document.body.append(session);
  session.attach(client);
} else {
  document.body.append(document.createElement('sl-no-token'));
}
