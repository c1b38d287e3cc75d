package dev.rnnplayground.server.model;

import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.server.common.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a user asks a stored model: a sample, the next character's probabilities, a look inside on a
 * window of text. {@link ModelService} hands each request here once the model is found; this class
 * fills in the defaults, checks every bound (lengths, and what the work would cost,
 * {@link RequestCost}) before any work starts, and only then runs core's {@link Sampler} or
 * {@link Inspector} under the {@link InferenceGate}, a few requests at a time, each until its deadline.
 * The limits live here because these are the requests they bound.
 */
final class Inference {

    /** A server's sample is shorter than {@link SampleConfig#MAX_LENGTH}: many people share its cores. */
    static final int MAX_SAMPLE_LENGTH = 10_000;
    static final int MAX_PRIME_LENGTH = 10_000;
    static final int MAX_TOP = 1_000;
    static final int MAX_INSPECT_SYMBOLS = Inspector.MAX_STEPS + 1;
    /** Activations one inspection returns at most (about 20 MB of JSON). */
    static final long MAX_INSPECT_VALUES = 1_000_000;

    private final ModelService models;
    private final InferenceGate gate;

    /** @param models where a request's model is found (404 when it is not) and its network read */
    Inference(ModelService models, InferenceGate gate) {
        this.models = models;
        this.gate = gate;
    }

    SampleResult sample(String id, SampleRequest r) {
        String prime = r.prime() == null ? "" : r.prime();
        SampleConfig d = SampleConfig.DEFAULTS;
        int length = r.length() == null ? d.length() : r.length();
        double temperature = r.temperature() == null ? d.temperature() : r.temperature();
        int topK = r.topK() == null ? d.topK() : r.topK();
        long seed = r.seed() == null ? d.seed() : r.seed();
        List<String> errors = new ArrayList<>();
        checkPrime(prime, errors);
        errors.addAll(new SampleConfig(prime, length, temperature, topK, seed).validate(MAX_SAMPLE_LENGTH));
        RequestCost.check("length", prime.codePointCount(0, prime.length()) + (long) length, 1, 1, models.get(id), errors);
        ModelService.refuse(errors);
        try {
            Sampler.Sample s = gate.run(deadline -> Sampler.sample(models.network(id),
                    new SampleConfig(prime, length, temperature, topK, seed), deadline));
            return new SampleResult(s.text(), prime, length, temperature, topK, seed, s.skippedSymbols());
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(sentence(e.getMessage()));
        }
    }

    PredictResult predict(String id, PredictRequest r) {
        String prime = r.prime() == null ? "" : r.prime();
        int top = r.top() == null ? 10 : r.top();
        List<String> errors = new ArrayList<>();
        checkPrime(prime, errors);
        if (top < 1 || top > MAX_TOP) errors.add("top: must be 1 to " + MAX_TOP + ", got " + top);
        RequestCost.check("prime", prime.codePointCount(0, prime.length()), 1, 1, models.get(id), errors);
        ModelService.refuse(errors);
        try {
            Sampler.Prediction p = gate.run(deadline -> Sampler.predict(models.network(id), prime, top, deadline));
            return new PredictResult(prime, p.candidates(), p.skippedSymbols());
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(sentence(e.getMessage()));
        }
    }

    Inspector.Inspection inspect(String id, InspectRequest r) {
        String text = r.text() == null ? "" : r.text();
        int symbols = text.codePointCount(0, text.length());
        ModelInfo info = models.requireRecurrent(id, "Inspect");
        boolean withGates = Boolean.TRUE.equals(r.gates());
        int limit = inspectLimit(info, withGates);
        if (symbols > limit) {
            ModelService.refuse(List.of("text: may hold at most " + limit + " symbols for this model, got " + symbols));
        }
        List<String> errors = new ArrayList<>();
        RequestCost.check("text", symbols, 3, symbols, info, errors);
        ModelService.refuse(errors);
        try {
            Inspector.Inspection inspection = gate.run(deadline -> Inspector.inspect(models.recurrentNetwork(id), text, deadline));
            return withGates ? inspection : inspection.withoutGates();
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceException.Kind.INVALID, "Invalid request", sentence(e.getMessage()),
                    Map.of("text", e.getMessage()));
        }
    }

    /**
     * Most symbols {@code inspect} takes for a model: {@value #MAX_INSPECT_SYMBOLS}, fewer for a big
     * network, so that the activations returned stay within {@value #MAX_INSPECT_VALUES} numbers.
     */
    static int inspectLimit(ModelInfo m) {
        return inspectLimit(m, false);
    }

    /** As {@link #inspectLimit(ModelInfo)}; with the gates, each step also returns G values per unit. */
    static int inspectLimit(ModelInfo m, boolean withGates) {
        CellType cell = CellType.parse(m.cell());
        int statesPerUnit = cell == CellType.LSTM ? 2 : 1;   // h, and an LSTM's c
        long perStep = (long) m.hidden() * m.layers() * (statesPerUnit + (withGates ? cell.gates() : 0));
        return (int) Math.max(2, Math.min(MAX_INSPECT_SYMBOLS, 1 + MAX_INSPECT_VALUES / perStep));
    }

    private static void checkPrime(String prime, List<String> errors) {
        int n = prime.codePointCount(0, prime.length());
        if (n > MAX_PRIME_LENGTH) errors.add("prime: may hold at most " + MAX_PRIME_LENGTH + " symbols, got " + n);
    }

    private static String sentence(String message) {
        String m = message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return m.endsWith(".") ? m : m + ".";
    }
}
