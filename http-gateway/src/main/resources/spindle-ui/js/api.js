// The API, as the dashboard calls it: same origin, JSON, and the bearer token the user typed in.
// The token lives in this tab's sessionStorage only: it is gone when the tab closes, and no cookie
// carries it, so no other site can make the browser use it.

const TOKEN_KEY = 'spindle.api-token';

/** The API answered 401: the page should ask for a token. */
export class Unauthorized extends Error {}

/** Any other refusal, with the API's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function send(method, path, body, accept, extraHeaders = {}) {
  const init = { method, headers: headers({ Accept: accept, ...extraHeaders }), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) throw new Unauthorized('the API asks for a token');
  if (!res.ok) {
    let code = 'http_' + res.status;
    let message = res.statusText;
    try {
      const err = (await res.json()).error;
      code = err.code;
      message = err.message;
    } catch (e) {
      // not the API's error shape: keep the status line
    }
    throw new ApiError(res.status, code, message);
  }
  return res;
}

export async function getJson(path) {
  return (await send('GET', path, undefined, 'application/json')).json();
}

export async function getText(path) {
  return (await send('GET', path, undefined, 'text/plain, */*')).text();
}

/**
 * The first {@code maxBytes} of a text resource, asked for with a Range request so a large artifact is not
 * downloaded for a preview; {@code whole} is false when there is more.
 */
export async function getTextPrefix(path, maxBytes) {
  const res = await send('GET', path, undefined, 'text/plain, */*', { Range: `bytes=0-${maxBytes - 1}` });
  const buffer = await res.arrayBuffer();
  // A server may ignore Range and send it all: cut it here then.
  const shown = buffer.byteLength > maxBytes ? buffer.slice(0, maxBytes) : buffer;
  const total = res.status === 206 ? Number((res.headers.get('Content-Range') || '').split('/')[1]) : buffer.byteLength;
  return { text: new TextDecoder().decode(shown), whole: !(total > shown.byteLength) };
}

export async function postJson(path, body) {
  return (await send('POST', path, body, 'application/json')).json();
}

export async function putJson(path, body) {
  return (await send('PUT', path, body, 'application/json')).json();
}

export async function patchJson(path, body) {
  return (await send('PATCH', path, body, 'application/json')).json();
}

/** Query string of the non-empty entries of {@code params}. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * A URL an <img>, <audio> or <video> can load: the bytes route itself when the API needs no token
 * (so media seek with Range requests), else a blob: URL of the bytes fetched with the token, since
 * those elements cannot send an Authorization header.
 */
export async function mediaUrl(path) {
  if (!token()) return path;
  const res = await send('GET', path, undefined, '*/*');
  return URL.createObjectURL(await res.blob());
}
