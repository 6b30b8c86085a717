/**
 * What operators type, parsed one way wherever they type it: durations
 * ({@link io.maintd.syntax.DurationSyntax}: maintd.yaml's timeouts and every command-line
 * duration), socket addresses ({@link io.maintd.syntax.AddressSyntax}: IPv6 in brackets,
 * everywhere), and the "did you mean" offered for a mistyped name
 * ({@link io.maintd.syntax.ClosestName}: commands, flags, config keys, backends). Each has one
 * implementation and one test, so {@code timeout: 1d} and {@code --for 1d} cannot disagree.
 * {@code java.base} only, for flagctl's start-up.
 */
package io.maintd.syntax;
