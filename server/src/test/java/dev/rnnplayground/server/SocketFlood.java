package dev.rnnplayground.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Many connections opened at once, each sending one request, the way a script floods a server: all
 * connects are started before any answer is read, and none waits for another (non-blocking
 * connects, so a connection the server has not yet accepted holds up nothing here). A background
 * thread sends each request once its connection is up and keeps what comes back: the status line,
 * and whether the server closed the connection. Closing the flood closes every connection.
 */
final class SocketFlood implements AutoCloseable {

    /** One connection of the flood; written by the flood's thread, read by the test. */
    private static final class Flooder {
        final SocketChannel channel;
        final StringBuilder head = new StringBuilder();
        volatile String status;          // "200", "503", ... once the status line has arrived
        volatile boolean closedByServer;

        Flooder(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final Selector selector;
    private final List<Flooder> flooders = new ArrayList<>();
    private final ByteBuffer request;
    private final Thread pump;
    private volatile boolean running = true;

    /** Opens {@code count} connections to {@code origin}, each to send {@code request} (the whole HTTP text). */
    SocketFlood(String origin, int count, String request) {
        this.request = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        URI uri = URI.create(origin);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        try {
            selector = Selector.open();
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                Flooder flooder = new Flooder(channel);
                flooders.add(flooder);
                boolean connected = channel.connect(address);
                channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, flooder);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        pump = new Thread(this::pump, "socket-flood");
        pump.setDaemon(true);
        pump.start();
    }

    /** How many connections have had an answer, by status ("no answer yet" for the rest). */
    Map<String, Integer> outcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Flooder f : flooders) counts.merge(f.status == null ? "no answer yet" : f.status, 1, Integer::sum);
        return counts;
    }

    /** How many connections with this status the server has closed. */
    int closedByServer(String status) {
        int n = 0;
        for (Flooder f : flooders) if (status.equals(f.status) && f.closedByServer) n++;
        return n;
    }

    private void pump() {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (running) {
            try {
                selector.select(50);
            } catch (IOException | RuntimeException closed) {
                return;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Flooder f = (Flooder) key.attachment();
                try {
                    if (key.isConnectable() && f.channel.finishConnect()) key.interestOps(SelectionKey.OP_WRITE);
                    if (key.isValid() && key.isWritable()) {
                        f.channel.write(request.duplicate());   // a few hundred bytes: one write on a fresh socket
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isValid() && key.isReadable()) {
                        buffer.clear();
                        if (f.channel.read(buffer) < 0) {
                            f.closedByServer = true;
                            key.cancel();
                        } else if (f.status == null) {
                            f.head.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
                            if (f.head.length() >= 12 && f.head.toString().startsWith("HTTP/1.1 ")) f.status = f.head.substring(9, 12);
                        }
                    }
                } catch (IOException | RuntimeException reset) {
                    f.closedByServer = true;
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            if (pump != null) pump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Flooder f : flooders) {
            try {
                f.channel.close();
            } catch (IOException ignored) {
                // closing a connection the server has already closed
            }
        }
        try {
            if (selector != null) selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
