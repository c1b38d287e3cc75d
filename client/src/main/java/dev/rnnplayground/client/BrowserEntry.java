package dev.rnnplayground.client;

import dev.rnnplayground.core.Vocab;
import org.teavm.jso.JSExport;

/**
 * The browser's way into rnn-core. TeaVM compiles this class, and the core code it reaches, to
 * {@code /client/rnn.js} (JavaScript) and {@code /client/rnn.wasm} (WebAssembly GC); each
 * {@link JSExport} method becomes a function of the same name in both builds.
 *
 * <p>The surface stays thin on purpose: static methods over primitives, strings and arrays, so
 * the page never holds a Java object and both builds behave the same.
 */
public final class BrowserEntry {

    private BrowserEntry() {
    }

    /** How many distinct symbols (Unicode code points) a text contains: its vocabulary size. */
    @JSExport
    public static int vocabSize(String text) {
        return Vocab.of(text).size();
    }
}
