/**
 * Entry point. Picks the runtime client from the URL:
 *   ?token=…            the live runtime that served this page (the token stays in the address bar: the
 *                       runtime serves the page itself only to URLs that carry it, so a reload needs it)
 *   ?replay=<name>      a recorded session, no runtime needed
 *   neither             the page that explains how to open Streamlab
 */
import './session/sl-session.js';
import './elements/sl-app.js';
import './elements/sl-no-token.js';
import { LiveClient } from './client/live-client.js';
import { ReplayClient } from './client/replay-client.js';
import type { RuntimeClient } from './client/runtime-client.js';
import { recordedSessions } from './fixtures/sessions.js';

function chooseClient(): RuntimeClient | null {
  const url = new URL(location.href);
  const replay = url.searchParams.get('replay');
  const recorded = replay ? recordedSessions[replay] : undefined;
  if (recorded) return new ReplayClient(recorded(), 1);
  const token = url.searchParams.get('token');
  return token ? new LiveClient({ url: LiveClient.urlFor(location, token), token }) : null;
}

const client = chooseClient();
if (client) {
  const session = document.createElement('sl-session');
  session.append(document.createElement('sl-app'));
  document.body.append(session);
  session.attach(client);
} else {
  document.body.append(document.createElement('sl-no-token'));
}
