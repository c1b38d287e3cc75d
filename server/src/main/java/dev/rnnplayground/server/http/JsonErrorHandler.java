package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.Jackson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a request reaches the application (a malformed request
 * line, headers too large, a URI too long, a broken chunked body): problem+json like every other
 * error of the API, instead of Jetty's HTML page, with the same security headers as every other answer.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /**
     * Jetty writes an error body only for GET, POST and HEAD; this API answers every method's
     * errors with a problem document (a DELETE of an ambiguous path got an empty 400).
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(code);
        SecurityHeaders.HEADERS.forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorMapping.PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        SecurityHeaders.HEADERS.forEach(fields::put);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, ErrorMapping.PROBLEM_JSON));
        return ByteBuffer.wrap(body(status));
    }

    private static byte[] body(int code) {
        String title = HttpStatus.getMessage(code);
        String detail = switch (code) {
            case 413 -> "The request body is larger than this server takes.";
            case 414 -> "The address is too long.";
            case 431 -> "The request's headers are too large.";
            case 404 -> "There is nothing at this address.";
            default -> code < 500 ? "The request is not valid HTTP (" + title + ")." : "The server could not handle this request.";
        };
        return Jackson.toString(new Problem(title == null ? "Error" : title, code, detail)).getBytes(StandardCharsets.UTF_8);
    }
}
