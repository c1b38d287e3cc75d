package dev.rnnplayground.core.sample;

/**
 * What writes text one symbol at a time: it reads symbols (the prime, then its own output) and
 * draws the next. {@link Generator} is the reference, on the float64 core; the fast engine has a
 * float32 one for the command line. {@link Sampler#write} drives either.
 */
public interface TextWriter {

    /** Reads one symbol (vocabulary index); the model then predicts the next. */
    void feed(int symbol);

    /** Draws the next symbol, feeds it back in, and returns it. */
    int next();
}
