import http from 'node:http';

/**
 * A POST of a JSON text over node:http with keep-alive, answered as the part of a `Response`
 * the simulator reads (ok, status, headers.get, text, json). The fleet's vehicles share the
 * server's 2 cores: through undici's fetch, and with the answer wrapped in a second Response to
 * time it, each request cost the simulator about a millisecond of CPU, a fifth of the whole
 * run's. Downloads and GETs still use fetch (their bodies are streamed and hashed).
 */
export function lightPoster(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const post = (url: URL, body: string, headers: Record<string, string>, retried = false): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              headers: { get: (name: string) => res.headers[name.toLowerCase()]?.toString() ?? null },
              text: async () => text,
              json: async () => JSON.parse(text),
            } as unknown as Response);
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as this request went out (Node's documented
        // race): sent again once on a new socket. Vehicle messages are safe to repeat.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') post(url, body, headers, true).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });
  return post;
}
