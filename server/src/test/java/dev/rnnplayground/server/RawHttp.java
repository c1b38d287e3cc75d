package dev.rnnplayground.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for what Java's client will not send: a foreign
 * {@code Host} header, a broken multipart body, a chunked body of any size. The server closes the
 * connection after answering ({@code Connection: close}), so the reply is everything it sends.
 */
public final class RawHttp {

    /** The status code, the header block and the body (decoded as UTF-8, chunked framing removed). */
    public record Reply(int status, String headers, String body) {
        public String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line; {@code Connection:
     * close} is added) and then {@code body}, and reads the reply, failing after 20 seconds.
     */
    public static Reply send(String origin, String head, byte[] body) {
        URI uri = URI.create(origin);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer (e.g. 413) and close before it has read everything
            }
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Reply send(String origin, String head) {
        return send(origin, head, new byte[0]);
    }

    private static Reply parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) all.write(buffer, 0, n);
        } catch (IOException e) {
            // a reset after the reply has been sent: keep what arrived
            if (all.size() == 0) throw e;
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) throw new IOException("not an HTTP reply: " + text);
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, end);
        String body = text.substring(end + 4);
        Reply reply = new Reply(status, headers, body);
        return "chunked".equalsIgnoreCase(reply.header("Transfer-Encoding"))
                ? new Reply(status, headers, dechunk(body)) : reply;
    }

    /** Chunk sizes counted in characters: good enough for the ASCII bodies of error replies. */
    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int line = body.indexOf("\r\n", at);
            if (line < 0) return out.toString();
            int size = Integer.parseInt(body.substring(at, line).split(";")[0].strip(), 16);
            if (size == 0) return out.toString();
            out.append(body, line + 2, Math.min(body.length(), line + 2 + size));
            at = line + 2 + size + 2;
        }
    }
}
