// Requests the bench scripts make of a running server before loading it.

/** Whether anything answers at `url`. */
export const answers = (url) =>
  fetch(url).then(
    () => true,
    () => false,
  );

/** POSTs `body` as JSON; the answer's JSON, or an error naming the status. */
export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A user, a token and an item of theirs, read once so the next reads hit the cache. */
export async function cachedItem(base, label) {
  const credentials = { email: `bench-${label}-${Date.now()}@example.com`, password: 'correct horse battery staple' };
  await postJson(`${base}/v1/auth/register`, credentials);
  const { accessToken } = await postJson(`${base}/v1/auth/login`, credentials);
  const authorization = `Bearer ${accessToken}`;
  const item = await postJson(`${base}/v1/items`, { name: `bench item ${label}` }, { authorization });
  await fetch(`${base}/v1/items/${item.id}`, { headers: { authorization } });
  return { url: `${base}/v1/items/${item.id}`, authorization };
}
