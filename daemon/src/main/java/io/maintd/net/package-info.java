/**
 * Network plumbing the daemon's servers and clients share, with no knowledge of what they serve:
 * which Netty transport runs ({@link io.maintd.net.Transport}), where a listener comes from (a
 * socket systemd passed in, or an exclusive bind: {@link io.maintd.net.SocketActivation},
 * {@link io.maintd.net.ListenFds}, {@link io.maintd.net.ListenException}), and the limits every
 * listener applies before any protocol runs ({@link io.maintd.net.ConnectionCap},
 * {@link io.maintd.net.RequestDeadline}, {@link io.maintd.net.ThrottledLog}). It uses Netty, the JDK and
 * common's address grammar, nothing of the daemon's; the proxy, admin, agent and health packages
 * build on it.
 */
package io.maintd.net;
