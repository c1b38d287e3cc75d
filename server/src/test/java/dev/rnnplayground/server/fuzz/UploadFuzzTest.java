package dev.rnnplayground.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.RawHttp;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import io.javalin.testtools.JavalinTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 600 corpus uploads written by hand on a socket: multipart bodies with a missing, wrong or
 * unclosed boundary, a NUL in a field name, no file field, random bytes, text that is not UTF-8,
 * chunked bodies (some broken, some over the size limit); every answer is a 201 or a 4xx problem
 * document, never a 5xx or a hang, and no upload leaves a temporary file behind.
 */
class UploadFuzzTest {

    private static final int CASES = 600;
    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path data;

    @Test
    void everyMalformedUploadIsAnsweredCleanly() {
        ServerConfig config = ServerConfig.defaults(data).withCorpusLimits(LIMIT, 200);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            String origin = client.getOrigin();
            FuzzReplies replies = new FuzzReplies(Set.of(201));
            SplittableRandom random = new SplittableRandom(1128);
            int tooLarge = 0;
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < CASES; i++) {
                    Upload u = upload(i % 12, random);
                    RawHttp.Reply r = RawHttp.send(origin, withLength(u.head(), u.body()), u.body());
                    replies.check("case " + i + " (kind " + (i % 12) + ")", r.status(), r.header("Content-Type"), r.body());
                }
            });
            assertTrue(replies.allRight(), replies.wrongAnswers());
            assertEquals(CASES, replies.accepted + replies.refused);
            assertTrue(replies.accepted > 0 && replies.refused > CASES / 2, replies.accepted + " / " + replies.refused);
            try (Stream<Path> left = Files.list(Services.uploadsDir(data))) {
                assertEquals(0, left.count(), "multipart temporary files left behind");
            }
        });
    }

    @Test
    void anOversizedChunkedUploadIs413() {
        ServerConfig config = ServerConfig.defaults(data).withCorpusLimits(LIMIT, 200);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            byte[] big = "abcd\n".repeat(3 * LIMIT / 5).getBytes(StandardCharsets.UTF_8);
            RawHttp.Reply plain = RawHttp.send(client.getOrigin(), head("text/plain", true, "?name=big"), chunked(big, 4096));
            assertEquals(413, plain.status(), plain.body());
            String boundary = "XyZ";
            RawHttp.Reply multipart = RawHttp.send(client.getOrigin(), head("multipart/form-data; boundary=" + boundary, true, ""),
                    chunked(multipart(boundary, "file", "big.txt", big, true), 4096));
            assertEquals(413, multipart.status(), multipart.body());
        });
    }

    /** Parts over 1 MB are staged on disk: whatever becomes of the upload, the staged file goes. */
    @Test
    void largeUploadsLeaveNoTemporaryFile() {
        ServerConfig config = ServerConfig.defaults(data).withCorpusLimits(4 << 20, 200);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            byte[] text = "to be or not to be\n".repeat(80_000).getBytes(StandardCharsets.UTF_8);   // 1.5 MB
            String head = head("multipart/form-data; boundary=B", false, "");
            byte[] good = multipart("B", "file", "big.txt", text, true);
            assertEquals(201, RawHttp.send(client.getOrigin(), withLength(head, good), good).status());
            byte[] unclosed = multipart("B", "file", "big.txt", text, false);
            assertEquals(400, RawHttp.send(client.getOrigin(), withLength(head, unclosed), unclosed).status());
            // a client that goes away in the middle of its upload
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(client.getOrigin()).getPort())) {
                socket.getOutputStream().write((head.replace("%d", Integer.toString(good.length)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(good, 0, good.length - 100);
                socket.getOutputStream().flush();
            } catch (java.io.IOException e) {
                // the server may give up on the connection first: either way the upload is cut off
            }
            Await.until(Duration.ofSeconds(30), () -> {
                try (Stream<Path> left = Files.list(Services.uploadsDir(data))) {
                    return left.count() == 0;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        });
    }

    @Test
    void whatJettyRefusesItselfIsAProblemDocumentToo() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            FuzzReplies replies = new FuzzReplies(Set.of());
            RawHttp.Reply longUri = RawHttp.send(client.getOrigin(), "GET /api/models?x=" + "a".repeat(20_000)
                    + " HTTP/1.1\r\nHost: 127.0.0.1");
            replies.check("a 20,000-character URI", longUri.status(), longUri.header("Content-Type"), longUri.body());
            RawHttp.Reply bigHeader = RawHttp.send(client.getOrigin(), "GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "b".repeat(20_000));
            replies.check("a 20,000-character header", bigHeader.status(), bigHeader.header("Content-Type"), bigHeader.body());
            RawHttp.Reply badLine = RawHttp.send(client.getOrigin(), "GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header");
            replies.check("a header line without a colon", badLine.status(), badLine.header("Content-Type"), badLine.body());
            // issue 19, finding 14: ambiguous paths were refused by the servlet layer with an empty 400
            RawHttp.Reply dotDot = RawHttp.send(client.getOrigin(), "DELETE /api/corpora/..; HTTP/1.1\r\nHost: 127.0.0.1");
            replies.check("DELETE /api/corpora/..;", dotDot.status(), dotDot.header("Content-Type"), dotDot.body());
            RawHttp.Reply overlong = RawHttp.send(client.getOrigin(), "GET /api/corpora/%C0%AE%C0%AE HTTP/1.1\r\nHost: 127.0.0.1");
            replies.check("GET /api/corpora/%C0%AE%C0%AE", overlong.status(), overlong.header("Content-Type"), overlong.body());
            assertTrue(replies.allRight(), replies.wrongAnswers());
            assertEquals(5, replies.refused);
            assertEquals(400, dotDot.status());
            assertEquals(400, overlong.status());
            // issue 19, finding 14: these answers lacked the headers every other answer carries
            for (RawHttp.Reply r : List.of(longUri, bigHeader, badLine, dotDot, overlong)) {
                assertEquals("DENY", r.header("X-Frame-Options"), r.headers());
                assertEquals("nosniff", r.header("X-Content-Type-Options"), r.headers());
                assertTrue(r.status() >= 400 && r.status() < 500 && r.body().contains("\"status\""), r.headers() + "\n" + r.body());
            }
        });
    }

    record Upload(String head, byte[] body) {
    }

    private static Upload upload(int kind, SplittableRandom random) {
        byte[] text = randomText(random, 1 + random.nextInt(2_000));
        String b = "b" + random.nextInt(1_000_000);
        return switch (kind) {
            case 0 -> new Upload(head("multipart/form-data; boundary=" + b, false, ""), multipart(b, "file", "a.txt", text, true));
            case 1 -> new Upload(head("multipart/form-data", false, ""), multipart(b, "file", "a.txt", text, true));   // no boundary
            case 2 -> new Upload(head("multipart/form-data; boundary=other", false, ""), multipart(b, "file", "a.txt", text, true));
            case 3 -> new Upload(head("multipart/form-data; boundary=" + b, false, ""), multipart(b, "file", "a.txt", text, false));
            case 4 -> new Upload(head("multipart/form-data; boundary=" + b, false, ""), multipart(b, "fi\0le", "a.txt", text, true));
            case 5 -> new Upload(head("multipart/form-data; boundary=" + b, false, ""), multipart(b, "notfile", "a.txt", text, true));
            case 6 -> new Upload(head("multipart/form-data; boundary=" + b, false, ""), randomBytes(random, random.nextInt(3_000)));
            case 7 -> new Upload(head("text/plain", false, "?name=t"), randomBytes(random, 1 + random.nextInt(3_000)));
            case 8 -> new Upload(head("text/plain; charset=utf-8", true, "?name=t"), chunked(text, 1 + random.nextInt(500)));
            case 9 -> {   // chunked framing broken: a size that is not hex, or a body that stops short
                byte[] framed = chunked(text, 100);
                framed[random.nextInt(framed.length)] = (byte) 'Z';
                yield new Upload(head("text/plain", true, "?name=t"), framed);
            }
            case 10 -> {   // multipart with a damaged byte somewhere
                byte[] body = multipart(b, "file", "a.txt", text, true);
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                yield new Upload(head("multipart/form-data; boundary=" + b, false, ""), body);
            }
            default -> new Upload(head("multipart/form-data; boundary=" + b, true, ""),
                    chunked(multipart(b, "file", "a.txt", text, random.nextBoolean()), 1 + random.nextInt(700)));
        };
    }

    /** The request line and headers; Content-Length is added by {@link #withLength} for unchunked bodies. */
    private static String head(String contentType, boolean chunked, String query) {
        return "POST /api/corpora" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + (chunked ? "\r\nTransfer-Encoding: chunked" : "\r\nContent-Length: %d");
    }

    private static String withLength(String head, byte[] body) {
        return head.replace("%d", Integer.toString(body.length));
    }

    private static byte[] multipart(String boundary, String field, String filename, byte[] content, boolean closed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        if (closed) out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] randomText(SplittableRandom random, int symbols) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < symbols; i++) s.appendCodePoint(random.nextInt(10) == 0 ? 0x4E00 + random.nextInt(50) : 'a' + random.nextInt(26));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
        return b;
    }
}
