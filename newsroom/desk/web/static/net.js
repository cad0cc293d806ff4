// Requests to the desk's server: JSON both ways, same origin (the server refuses others).

export class DeskError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, url, body) {
  const options = { method, credentials: "same-origin", cache: "no-store", headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let answer = null;
  try {
    answer = await response.json();
  } catch (error) {
    answer = null;
  }
  if (!response.ok) {
    throw new DeskError(response.status, (answer && answer.error) || `HTTP ${response.status}`);
  }
  return answer;
}

/** Requests whose replies are used in the order they were asked. Two requests of one dialog
 *  can be answered out of order (a slow GET of the status asked when the dialog opened, and
 *  the quick POST that started the publish a moment later): the older reply, shown last,
 *  would put back a state that is over. A reply (or an error) to a request older than the
 *  newest reply used is dropped: the call returns ``null``. */
export function inOrder() {
  let asked = 0;
  let used = 0;
  return async (method, url, body) => {
    const number = ++asked;
    try {
      const answer = await api(method, url, body);
      if (number < used) return null;
      used = number;
      return answer;
    } catch (error) {
      if (number < used) return null;
      used = number;
      throw error;
    }
  };
}
