package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.common.Utf8Text;
import io.javalin.http.Context;

/**
 * Reads the JSON body of a request. It must be declared {@code application/json}: a browser sends
 * a {@code text/plain} or form body to any address without asking first, but asks the server
 * before it sends {@code application/json} from another origin, and this server says no.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body as {@code type}; Jackson's refusals become 400s naming the field (see ErrorMapping). */
    public static <T> T read(Context ctx, Class<T> type) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().strip().toLowerCase();
        if (!(contentType.equals("application/json") || contentType.startsWith("application/json;"))) {
            throw new ServiceException(ServiceException.Kind.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Send this request's body as JSON with the header 'Content-Type: application/json'.");
        }
        try {
            Utf8Text.decode(ctx.bodyAsBytes());   // Javalin would decode bad bytes to U+FFFD and store them
        } catch (Utf8Text.MalformedException e) {
            throw ServiceException.invalid("The body is not valid UTF-8: " + e.where() + " does not fit.");
        }
        T value = ctx.bodyValidator(type).get();
        if (value == null) throw ServiceException.invalid("The body must be a JSON object.");
        return value;
    }
}
