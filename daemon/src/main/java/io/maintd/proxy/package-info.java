/**
 * The sidecar: an HTTP/1.1 reverse proxy that decides every request from the flag file.
 *
 * <h2>Choices, and why</h2>
 * <ul>
 *   <li><b>One request at a time per client connection.</b> Auto-read is off and
 *       {@link io.maintd.proxy.http.RequestDecoder} decodes one message per read, so a
 *       pipelined request waits, undecoded, until the response before it is complete; responses
 *       are therefore in order without a reordering buffer. A new request is not decoded while
 *       the client connection is not writable, so a client that pipelines without reading is
 *       slowed by TCP and nothing it sent is dropped (nginx's behaviour). Between requests the
 *       socket is read ahead of demand, up to one largest head kept, so its read interest stays
 *       on across keep-alive requests (nginx and HAProxy read into a fixed buffer the same way);
 *       the head deadline of a request read ahead starts only when its turn comes.</li>
 *   <li><b>Bodies stream</b> chunk by chunk in both directions; each side is read only while the
 *       other is writable (Netty's default water marks, 32-64 KiB), so memory per connection is
 *       bounded whatever the body size or the client's speed.</li>
 *   <li><b>Upstream pools</b> are per event loop and per server; a client and its upstream
 *       connections share a thread. A connection is pooled only after a complete keep-alive
 *       response to a completely sent request, with a read pending so a server closing it
 *       while idle is noticed. Idle pooled connections close after
 *       {@code limits.upstreamIdleTimeout}; at most {@code limits.upstreamMaxIdle} per server
 *       wait in one loop's pool.</li>
 *   <li><b>Retries</b> (at most one, like HAProxy's {@code retries 1} with {@code redispatch}):
 *       a connection that could not be opened is retried on the next server for any method,
 *       since nothing was sent (but a refused one only when there is another address to go
 *       to); a reused keep-alive connection found closed before any response byte is retried
 *       only for idempotent requests without a body. A refused connection takes the server
 *       down until a probe finds it back ({@link io.maintd.health.ServerHealth}); a connect
 *       timeout does not (the server may only be slow). Down servers are skipped; with all of
 *       them down the one that failed longest ago is tried ({@link io.maintd.proxy.BackendServers}).</li>
 *   <li><b>Statuses the proxy makes</b>: 503 when the last connect was refused or every server
 *       of the backend is down, 502 when connecting or the upstream connection failed
 *       otherwise or the response head is malformed (a status line must be HTTP/1.0 or HTTP/1.1
 *       with a three-digit status, {@code MalformedResponseTableTest}), 504 when no response head arrived within {@code limits.responseTimeout}
 *       after the request was sent; for a request it refuses
 *       ({@link io.maintd.proxy.RequestRejection}): 400, 414 and 431 for heads the parser
 *       rejects, 400, 501 and 505 for heads {@link io.maintd.proxy.RequestHeadCheck} refuses,
 *       400 for a body that fails to decode; the connection then closes. All use the
 *       page machinery, so JSON clients get JSON. A client that leaves before its response is
 *       complete is counted with status 499, as nginx logs it.</li>
 *   <li><b>Bodies that fail to decode</b> are never completed on the other side: every body
 *       piece's decoder result is checked (for a response, the decoder hands on a
 *       {@link io.maintd.proxy.http.MalformedResponse} and holds back a last chunk until its
 *       trailers are whole), a failed one closes the connection it would have gone to (the
 *       upstream one is never pooled), so the receiver sees the body end without its last
 *       chunk or its length; a close-delimited response to an HTTP/1.0 client is reset
 *       instead, as its close would look like the end.</li>
 *   <li><b>What the rules see is what is forwarded</b>: an absolute-form target is forwarded
 *       in origin-form with its authority as Host, a path with dot segments is forwarded
 *       resolved (docs/config.md).</li>
 *   <li><b>Headers</b>: hop-by-hop headers and those named in {@code Connection} are removed
 *       (never {@code Content-Length}, {@code Transfer-Encoding} or {@code Host}, which would
 *       let a client change the next hop's framing); {@code X-Forwarded-For} is appended to,
 *       an existing {@code X-Forwarded-Proto} from a TLS-terminating balancer in front is
 *       kept, {@code Via: 1.1 maintd} is appended both ways. A close-delimited upstream body
 *       is re-framed as chunked for HTTP/1.1 clients (the relay writes each piece as a chunk);
 *       a chunked one goes to an HTTP/1.0 client without its framing; any other body goes as
 *       it came, a chunked one without re-chunking.</li>
 *   <li><b>The relay is a phase machine</b>: {@link io.maintd.proxy.UpstreamRelay} moves one
 *       exchange through {@link io.maintd.proxy.RelayPhase} (connecting, awaiting the response,
 *       interim, responding, switching) and leaves each concern to its own class: connection
 *       acquisition and retries, request streaming, response framing, the response timer and
 *       the tunnel hand-off. A move the phase table does not allow throws instead of leaving a
 *       flag half-reset.</li>
 *   <li><b>Message heads</b> are parsed once into an index of offsets by
 *       {@link io.maintd.proxy.http} (issue 13) and forwarded from their own bytes with the
 *       edits above; see that package for why this is safe. Requests: the client connection's
 *       {@link io.maintd.proxy.http.RequestDecoder} hands on a head the rules read through the
 *       index, the relay writes it upstream, and bodies go up as they came, chunk framing
 *       included. Responses: the upstream pipeline decodes them with
 *       {@link io.maintd.proxy.http.ResponseDecoder}, the relay writes each head for the client
 *       with {@link io.maintd.proxy.http.ForwardedResponseHead} and forwards body bytes as they
 *       came, and {@link io.maintd.proxy.ClientResponseEncoder} lets them through while it
 *       encodes the proxy's own pages. No Netty HTTP codec is left on the proxied path.</li>
 *   <li><b>Slow clients</b> meet deadlines that bytes do not restart
 *       ({@link io.maintd.proxy.RequestDeadlines}): a request head must be complete within
 *       {@code limits.headerTimeout} of its first byte, a body must keep up with
 *       {@code limits.bodyTimeout} and {@code limits.bodyMinRate} over the time the proxy waits
 *       for it; late ones get 408 and the connection closes (with its backend connection).</li>
 *   <li><b>Drain</b>: while the supplied drain signal is true, every response carries
 *       {@code Connection: close}.</li>
 *   <li><b>Reload</b>: {@link io.maintd.proxy.ProxyServer#reload} swaps the whole
 *       {@link io.maintd.proxy.ServingConfig} with one volatile write; each request keeps the
 *       snapshot it started with, new connections take the new limits.</li>
 * </ul>
 */
package io.maintd.proxy;
