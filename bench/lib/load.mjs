import autocannon from 'autocannon';

/**
 * Runs autocannon against `baseUrl` and returns the summary figures.
 * `requestsForClient(index)` returns the request list of one connection,
 * which cycles through it, so each connection can carry its own data
 * (for example its own account).
 */
export async function runLoad({
  baseUrl,
  connections,
  seconds,
  headers,
  requestsForClient,
}) {
  let clientIndex = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    pipelining: 1,
    // Login at 50 connections queues behind bcrypt for tens of seconds on
    // a 2-core machine, so autocannon's default 10 s timeout would count
    // slow responses as errors.
    timeout: 120,
    headers,
    setupClient(client) {
      client.setRequests(requestsForClient(clientIndex));
      clientIndex += 1;
    },
  });

  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    responses2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}

/** Fetches JSON from the API and throws with the status and body on a non-2xx response. */
export async function fetchJson(
  url,
  { method = 'GET', headers = {}, body } = {},
) {
  const response = await fetch(url, {
    method,
    headers:
      body === undefined
        ? headers
        : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${method} ${url} failed with ${response.status}: ${text.slice(0, 500)}`,
    );
  }
  return JSON.parse(text);
}
