package io.maintd.admin;

import io.maintd.syntax.AddressSyntax;
import io.maintd.flagfile.FlagFileException;
import io.maintd.json.JsonObject;
import io.maintd.syntax.DurationSyntax;
import io.maintd.flagfile.StandardFlags;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code POST /actions/set}: the admin page's switches. Form fields {@code flag} ({@code maint}
 * or {@code drain}: 0 or 1; {@code shed}: a percentage 0..100), {@code value}, optional
 * {@code for} (a duration, e.g. {@code 30m}: the flag reverts after it, as {@code flagctl set
 * --for}) and optional {@code reason} (at most {@value #MAX_REASON} characters). Only what
 * {@link ActionGuard} lets through gets this far; the write is {@link AuditedPageWrite}'s, on
 * {@code executor}. Answers the change as JSON, like {@code flagctl set --json}.
 */
final class SetFlagAction implements AdminAction {
    static final String PATH = "/actions/set";
    static final int MAX_REASON = 200;
    private static final System.Logger LOG = System.getLogger(SetFlagAction.class.getName());
    private static final Set<String> FIELDS = Set.of("flag", "value", "for", "reason");
    /** What the page may set, and the largest value of each (0 is the smallest). */
    private static final Map<String, Long> LIMITS = Map.of(StandardFlags.MAINT, 1L, StandardFlags.DRAIN, 1L,
            StandardFlags.SHED, 100L);

    private final ActionGuard guard;
    private final AuditedPageWrite writes;
    private final Executor executor;

    SetFlagAction(ActionGuard guard, AuditedPageWrite writes, Executor executor) {
        this.guard = guard;
        this.writes = writes;
        this.executor = executor;
    }

    @Override
    public CompletionStage<FullHttpResponse> perform(FullHttpRequest request, InetSocketAddress client) {
        FullHttpResponse refused = guard.refusal(request.headers(), client);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        Request set;
        try {
            set = Request.of(ActionForm.read(request, FIELDS));
        } catch (ActionForm.Refused e) {
            return CompletableFuture.completedFuture(TextResponse.of(
                    e.unsupportedType ? HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE : HttpResponseStatus.BAD_REQUEST,
                    e.getMessage() + "\n"));
        }
        return CompletableFuture.supplyAsync(() -> write(set, client), executor);
    }

    private FullHttpResponse write(Request set, InetSocketAddress client) {
        try {
            AuditedPageWrite.Done done = writes.set(set.flag, set.value, set.forMillis, set.reason, client);
            LOG.log(System.Logger.Level.INFO, "admin page: " + done.flag() + " " + done.oldValue() + " -> " + done.newValue()
                    + (set.forMillis > 0 ? " for " + set.forText : "")
                    + " from " + AddressSyntax.format(client) + (set.reason == null ? "" : " (" + set.reason + ")"));
            return JsonResponse.ok(new JsonObject().put("flag", done.flag()).put("old", done.oldValue())
                    .put("new", done.newValue()).putTime("expires_at", done.expiresAtMillis()));
        } catch (FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, "admin page: setting " + set.flag + " from " + AddressSyntax.format(client)
                    + " failed: " + e.getMessage());
            HttpResponseStatus status = e.reason() == FlagFileException.Reason.UNKNOWN_FLAG
                    ? HttpResponseStatus.CONFLICT : HttpResponseStatus.INTERNAL_SERVER_ERROR;
            return TextResponse.of(status, e.getMessage() + "\n");
        }
    }

    /** A checked set: every field parsed before anything is opened, so a bad one writes nothing. */
    private record Request(String flag, long value, long forMillis, String forText, String reason) {
        static Request of(Map<String, String> fields) throws ActionForm.Refused {
            String flag = fields.get("flag");
            Long max = flag == null ? null : LIMITS.get(flag);
            if (max == null) {
                throw new ActionForm.Refused("field 'flag' must be one of maint, drain, shed", false);
            }
            long value = number(fields.get("value"), max);
            long forMillis = 0;
            String forText = fields.getOrDefault("for", "");
            if (!forText.isEmpty()) {
                try {
                    forMillis = DurationSyntax.parse(forText).toMillis();
                } catch (IllegalArgumentException e) {
                    throw new ActionForm.Refused("field 'for': " + e.getMessage(), false);
                } catch (ArithmeticException e) {
                    forMillis = Long.MAX_VALUE;
                }
                if (forMillis <= 0) {
                    throw new ActionForm.Refused("field 'for': '" + forText + "' must be longer than zero", false);
                }
                if (forMillis > Long.MAX_VALUE / 2) {
                    throw new ActionForm.Refused("field 'for': \"" + forText + "\" ends after the end of time", false);
                }
            }
            String reason = fields.getOrDefault("reason", "").strip();
            if (reason.length() > MAX_REASON) {
                throw new ActionForm.Refused("field 'reason' is " + reason.length() + " characters; at most " + MAX_REASON, false);
            }
            return new Request(flag, value, forMillis, forText, reason.isEmpty() ? null : reason);
        }

        private static long number(String text, long max) throws ActionForm.Refused {
            if (text == null || text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new ActionForm.Refused("field 'value' must be a whole number from 0 to " + max, false);
            }
            long value = Long.parseLong(text);
            if (value > max) {
                throw new ActionForm.Refused("field 'value' must be a whole number from 0 to " + max, false);
            }
            return value;
        }
    }
}
