/**
 * The command-line grammar of maintd's programs, declared once per program and rendered every
 * way an operator meets it: parsing, {@code --help}, the man page, and bash, zsh and fish
 * completion. A {@link io.maintd.command.Program} lists its global options, its commands
 * ({@link io.maintd.command.CommandSpec}: positional {@link io.maintd.command.Parameter}s and
 * {@link io.maintd.command.Option}s), its exit codes, environment and files; nothing is written
 * twice, so help, man page and completion cannot disagree with the parser.
 *
 * <p>Lean on purpose: flagctl's start-up budget is a small multiple of a bare JVM's, so this
 * package has no reflection, no annotations and no dependencies beyond {@code java.base}.
 */
package io.maintd.command;
