/**
 * The head index: HTTP/1.1 message heads parsed once, strictly by RFC 9112, into offsets over
 * the bytes they arrived in (issue 13).
 *
 * <h2>What it is</h2>
 * {@link io.maintd.proxy.http.HeadParser} reads a request or response head from a
 * {@code ByteBuf} (through one bulk copy into an array the index reuses) and fills a {@link io.maintd.proxy.http.HeadIndex}: the start
 * line's three parts and, per header field, where its name and (trimmed) value begin and end.
 * {@link io.maintd.proxy.http.BodyFraming} decides from the index how the body is delimited.
 * No String is made per header; an index is reused for every head on a connection, so a head
 * costs no allocation once its arrays have grown
 * ({@code bench/RESULTS.md}, "Head parser").
 *
 * <h2>Why forwarding indexed bytes is safe</h2>
 * <ul>
 *   <li><b>One reading of every head.</b> Request smuggling needs two parsers that read the same
 *       bytes differently. The proxy decides framing once, here, and refuses everything two
 *       parsers could read two ways: bare LF or CR, obs-fold, whitespace before a colon or
 *       between start-line parts, NUL and controls, Content-Length together with
 *       Transfer-Encoding, repeated or non-digit Content-Length, any request Transfer-Encoding
 *       but exactly one {@code chunked}. Whatever it forwards is therefore bytes it has read in
 *       the only way the grammar allows, and the server behind reads them the same way.</li>
 *   <li><b>Stricter than Netty's decoder, never looser.</b> Everything
 *       {@code MalformedRequestTableTest} and {@code MalformedResponseTableTest} record as
 *       refused by the codec is refused here too ({@code HeadParserTest},
 *       {@code ResponseDecoderTest}); where RFC 9112 lets a recipient either repair or refuse
 *       (obs-fold, runs of whitespace in the request line), Netty repairs and the index
 *       refuses, as HAProxy does: a response head with obs-fold is a 502 now.</li>
 *   <li><b>What the rules see is what is forwarded.</b> Rules read values through the index
 *       from the same bytes that go upstream, so no re-encoding can make the backend see a
 *       header the rules did not.</li>
 * </ul>
 *
 * <h2>Forwarding</h2>
 * {@link io.maintd.proxy.http.ForwardedRequestHead} writes a parsed request head for the upstream
 * hop from its original bytes: field lines are copied in place, hop-by-hop ones and those named
 * in {@code Connection} are skipped, and X-Forwarded-For, X-Forwarded-Proto and Via are appended.
 * {@code ForwardingDifferentialTest} checks that for 200 generated requests it writes the same
 * head the proxy forwards today.
 *
 * <p>{@link io.maintd.proxy.http.ForwardedResponseHead} does the same for a response head on its
 * way to the client, with the same rule for what is dropped, Via appended, the client
 * connection's {@code Connection}, and the framing edits a client of the other HTTP/1.x version
 * needs. {@code ResponseDifferentialTest} checks, for 200 generated responses, that the client
 * receives the backend's bytes but for those edits.
 *
 * <h2>Response bodies</h2>
 * {@link io.maintd.proxy.http.ResponseDecoder} hands a response on, one message per read like
 * the request side ({@link io.maintd.proxy.http.OnDemandDecoder}), as a
 * {@link io.maintd.proxy.http.ResponseHead} (its bytes and the connection's index) and
 * {@link io.maintd.proxy.http.ResponseBody} pieces of the wire bytes, delimited by
 * {@link io.maintd.proxy.http.BodyFraming}: a Content-Length counted, until the close, or a
 * chunked body whose framing {@link io.maintd.proxy.http.ChunkedBody} reads as it streams, as
 * strictly as the head (bounded hex sizes, the RFC 9112 section 7.1.1 chunk-ext grammar, CRLF
 * only, trailer lines with the field grammar). A chunked body is forwarded without re-chunking,
 * so its framing reaches the client only as far as it has been read as valid; the last chunk
 * and its trailers wait until the empty line that ends them. Which request a response answers
 * (HEAD: no body) the relay tells the decoder per exchange.
 *
 * <h2>Requests in the pipeline</h2>
 * {@link io.maintd.proxy.http.RequestDecoder} is the client connection's decoder: it parses each
 * request head into the connection's index and hands on a {@link io.maintd.proxy.http.RequestHead}
 * (the rules and {@code RequestHeadCheck} read the head through it, with no String per header),
 * then the body as the wire bytes, counted (Content-Length) or followed
 * ({@link io.maintd.proxy.http.ChunkedBody}, the same reader as for responses, with the last
 * chunk held back the same way) to where it ends, never re-chunked. The relay
 * writes the head upstream with {@link io.maintd.proxy.http.ForwardedRequestHead} and the body
 * pieces as they are. The decoder parses a head only when the exchange before it has completed,
 * which is what lets one index per connection serve every request on it.
 */
package io.maintd.proxy.http;
