/** A request to the notifications API: resolves with the response, or throws the API's sentence (`{ error }`) or the network's. */
export async function callNotificationsApi(path: string, init: { method: string; body?: unknown }): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { method: init.method, headers: init.body === undefined ? {} : { "content-type": "application/json" }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch {
    throw new Error("the dashboard server did not answer; try again");
  }
  if (response.ok) return response;
  const said = await response.json().then((b: { error?: string }) => b.error, () => undefined);
  throw new Error(said ?? `the server answered ${response.status}`);
}
