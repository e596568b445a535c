/**
 * A Web `Request` for a request whose small body the server already read whole
 * (node-adapter.ts: the vehicles' JSON messages). It has the whole interface of a Request
 * and behaves like one, but costs no construction work that a handler does not ask for:
 * undici's `new Request` parses the URL, copies the headers, creates an AbortSignal (slow in
 * Node 20) and wraps the body in a ReadableStream, which together were about a tenth of a
 * vehicle poll's time in node. Here the headers, the signal and the body stream are made on
 * first use, and `text()`/`json()`/`arrayBuffer()` read the bytes directly.
 *
 * Only the node:http entries build it; the handlers take any `Request` (tests and Next pass
 * undici's).
 */
export class BufferedRequest implements Request {
  readonly cache: RequestCache = 'default';
  readonly credentials: RequestCredentials = 'same-origin';
  readonly destination: RequestDestination = '';
  readonly integrity = '';
  readonly keepalive = false;
  readonly mode: RequestMode = 'cors';
  readonly redirect: RequestRedirect = 'follow';
  readonly referrer = 'about:client';
  readonly referrerPolicy: ReferrerPolicy = '';
  readonly duplex = 'half';

  #headers: Headers | undefined;
  #signal: AbortSignal | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(
    readonly method: string,
    /** Absolute, as a Request's url is. */
    readonly url: string,
    private readonly rawHeaders: readonly string[],
    private readonly bytes_: Buffer,
  ) {}

  get headers(): Headers {
    return (this.#headers ??= headersFromRaw(this.rawHeaders));
  }

  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (!this.#stream) {
      const bytes = this.bytes_;
      this.#stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          controller.close();
        },
      });
    }
    return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>>;
  }

  get bodyUsed(): boolean {
    return this.#used || (this.#stream !== undefined && this.#stream.locked);
  }

  /** The bytes, once: a body is read at most once, as with any Request. */
  #take(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.bytes_;
  }

  async text(): Promise<string> {
    return this.#take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return new Response(await this.arrayBuffer(), { headers: { 'content-type': this.headers.get('content-type') ?? '' } }).formData();
  }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed.');
    return new BufferedRequest(this.method, this.url, this.rawHeaders, this.bytes_);
  }
}

/** node:http's rawHeaders (name, value, name, value…) as Web Headers, repeated names kept. */
export function headersFromRaw(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}
