// Live pages poll the API: simple, works through any proxy, and the API's bearer token rides on
// fetch (EventSource cannot send it).

import { Unauthorized } from './api.js';

/** What pages call when the API refuses the token; main.js sets it. */
export const session = { onUnauthorized: () => {}, onError: () => {} };

/**
 * Runs {@code tick} now and then {@code intervalMs} after each run ends, until the returned stop function
 * is called or {@code tick} returns false. A 401 stops polling and asks for a token.
 */
export function every(intervalMs, tick) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) return;
    let again = true;
    try {
      again = (await tick()) !== false;
      session.onError(null);
    } catch (e) {
      if (e instanceof Unauthorized) {
        stopped = true;
        session.onUnauthorized();
        return;
      }
      session.onError(e);
    }
    if (!stopped && again) timer = setTimeout(run, intervalMs);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
