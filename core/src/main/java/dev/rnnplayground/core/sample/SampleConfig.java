package dev.rnnplayground.core.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one sample, with the one set of defaults and limits that {@code rnn sample},
 * {@code POST /api/models/{id}/sample} and the page's Generate panel share (the page reads them
 * from {@code GET /api/sampling/options}).
 *
 * @param prime       text the model reads first; may be empty (then the first character comes
 *                    from the zero state)
 * @param length      characters to write after the prime
 * @param temperature 0 = always the most likely; 1 = the model's distribution; higher = wilder
 * @param topK        draw only among the k most likely characters; 0 = all
 * @param seed        same seed, same text
 */
public record SampleConfig(String prime, int length, double temperature, int topK, long seed) {

    /**
     * For {@code rnn sample} and the API: no prime; 200 characters, a paragraph; temperature 1, the
     * distribution the model learned, neither sharpened nor flattened (char-rnn's sample.lua);
     * every character may be drawn; seed 1.
     */
    public static final SampleConfig DEFAULTS = new SampleConfig("", 200, 1.0, 0, 1);

    /**
     * The page's first view: a prime to start from, 400 characters to fill the panel, and 0.8, a
     * little sharper than the model's own distribution so a young model's text reads as words. The
     * page's state holds these values too (a shared link leaves out the values equal to them, so
     * they may not drift; a test checks they match).
     */
    public static final SampleConfig PAGE = new SampleConfig("The ", 400, 0.8, 0, 1);

    /** The samples a training run shows: 200 characters at 0.8, as on the page. */
    public static final SampleConfig WHILE_TRAINING = new SampleConfig("", 200, 0.8, 0, 1);

    /** Most characters one sample may write: a few seconds of the largest shipped model. */
    public static final int MAX_LENGTH = 100_000;

    /** Above about 100 every character is equally likely: a higher temperature changes nothing. */
    public static final double MAX_TEMPERATURE = 100;

    /** The page's slider stops at 2: beyond that the text is noise, though the API takes up to {@link #MAX_TEMPERATURE}. */
    public static final double SLIDER_MAX_TEMPERATURE = 2;

    /** Every out-of-range setting, one "field: what is wrong, got X" each; empty when valid. */
    public List<String> validate(int maxLength) {
        List<String> errors = new ArrayList<>();
        if (length < 0 || length > maxLength) errors.add("length: must be 0 to " + maxLength + ", got " + length);
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            errors.add("temperature: must be 0 to " + (long) MAX_TEMPERATURE + ", got " + temperature);
        }
        if (topK < 0) errors.add("topK: must be 0 (all) or more, got " + topK);
        return errors;
    }

    public SampleConfig withPrime(String newPrime) {
        return new SampleConfig(newPrime, length, temperature, topK, seed);
    }

    public SampleConfig withLength(int newLength) {
        return new SampleConfig(prime, newLength, temperature, topK, seed);
    }

    public SampleConfig withTemperature(double newTemperature) {
        return new SampleConfig(prime, length, newTemperature, topK, seed);
    }
}
