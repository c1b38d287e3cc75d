package dev.rnnplayground.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for what Java's client will not send: a foreign
 * {@code Host} header, a broken multipart body, a chunked body of any size, a connection held open or
 * a request on one kept alive. {@link #send} adds {@code Connection: close}, so the server closes the
 * connection after answering and the reply is everything it sends.
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

    /** A connection to {@code origin}, failing the test if it is not made within 5 seconds. */
    public static Socket connect(String origin) {
        URI uri = URI.create(origin);
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            return socket;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends a GET on a connection that stays open ({@code Connection: close} is not added) and reads
     * its one reply, framed by Content-Length or chunked, failing after 5 seconds.
     */
    public static Reply exchange(Socket socket, String requestLine) throws IOException {
        socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        for (String line; !(line = readLine(in)).isEmpty(); ) head.append(line).append("\r\n");
        Reply reply = new Reply(Integer.parseInt(head.substring(9, 12)), head.toString(), "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (reply.header("Content-Length") != null) {
            body.write(in.readNBytes(Integer.parseInt(reply.header("Content-Length"))));
        } else if ("chunked".equalsIgnoreCase(reply.header("Transfer-Encoding"))) {
            for (int size; (size = Integer.parseInt(readLine(in).split(";")[0].strip(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            readLine(in);   // the empty line after the last chunk
        }
        return new Reply(reply.status(), reply.headers(), body.toString(StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("the server closed the connection after: " + line);
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    /** Everything the server sends until it closes the connection; null if it has not closed within the time. */
    public static String readUntilClosed(Socket socket, int millis) {
        StringBuilder got = new StringBuilder();
        try {
            socket.setSoTimeout(millis);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            return got.toString();
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException reset) {
            return got.toString();   // a reset is a close too
        }
    }

    public static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket the server already closed
        }
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
