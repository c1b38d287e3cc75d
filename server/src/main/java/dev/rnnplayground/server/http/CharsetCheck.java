package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.ServiceException;
import io.javalin.http.Context;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;

/**
 * Refuses a request body whose Content-Type names a charset Java does not know (415, naming it),
 * before any handler reads the body: decoding it would throw deep inside Jetty, a 500.
 */
public final class CharsetCheck {
    private CharsetCheck() {
    }

    public static void check(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) return;
        for (String parameter : type.split(";")) {
            String p = parameter.strip();
            if (!p.toLowerCase(Locale.ROOT).startsWith("charset=")) continue;
            String name = p.substring("charset=".length()).strip().replace("\"", "");
            if (!known(name)) {
                throw new ServiceException(ServiceException.Kind.UNSUPPORTED_MEDIA_TYPE, "Unsupported charset",
                        "The Content-Type names the charset '" + name + "', which this server does not know; send UTF-8.");
            }
        }
    }

    private static boolean known(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
