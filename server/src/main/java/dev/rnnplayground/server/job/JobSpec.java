package dev.rnnplayground.server.job;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code POST /api/jobs} asks for: a corpus, a name, and the hyperparameters of
 * {@code rnn train} under their {@link Hyperparameter#key keys} ({@code "hidden"}, {@code "seqLength"},
 * …), each a JSON string or number as {@link Hyperparameter.Kind#wireType} says. Every field but
 * {@code corpusId} may be left out and takes the one default ({@link TrainConfig.Builder#build()}).
 * The allowed ranges are {@link JobLimits#SERVER}. Stored with the job once {@link #withDefaults() completed}.
 * <p>
 * The JSON is read field by field from the list of hyperparameters, with the server's strict
 * rules (an unknown field, a string for a number, a fraction for an integer are refused, naming
 * the field), so a new hyperparameter needs no change here.
 */
@JsonDeserialize(using = JobSpec.Reader.class)
public final class JobSpec {
    private final String corpusId;
    private final String name;
    /** As JSON gave them: a choice's name, a number; absent when not given. */
    private final Map<Hyperparameter, Object> settings;
    /**
     * Settings a request gave as JSON {@code null}: refused by {@link #validate()} (leaving the field
     * out is how to ask for the default). Not stored, and not refused when a stored job is read: a
     * job stored by an earlier version wrote {@code null} for settings it did not use.
     */
    private final Set<Hyperparameter> givenAsNull;

    private JobSpec(String corpusId, String name, Map<Hyperparameter, Object> settings, Set<Hyperparameter> givenAsNull) {
        this.corpusId = corpusId;
        this.name = name;
        Map<Hyperparameter, Object> copy = new EnumMap<>(Hyperparameter.class);
        copy.putAll(settings);
        this.settings = Collections.unmodifiableMap(copy);
        this.givenAsNull = givenAsNull.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(givenAsNull));
    }

    /** A request for {@code corpusId} with these settings by key ({@code Map.of("hidden", 16)}); read as JSON would be. */
    public static JobSpec of(String corpusId, Map<String, ?> settings) {
        Map<Hyperparameter, Object> values = new EnumMap<>(Hyperparameter.class);
        settings.forEach((key, value) -> {
            Hyperparameter h = Hyperparameter.byKey(key);
            if (h == null) throw new IllegalArgumentException("no hyperparameter " + key);
            values.put(h, value instanceof Number n && h.kind.wireType == Long.class ? (Object) n.longValue()
                    : value instanceof Number n && h.kind.wireType == Double.class ? (Object) n.doubleValue() : value);
        });
        return new JobSpec(corpusId, null, values, Set.of());
    }

    /** The corpus to learn from. */
    public String corpusId() {
        return corpusId;
    }

    /** For people; default: cell, size and corpus name. */
    public String name() {
        return name;
    }

    /** The value of {@code h} as JSON carries it, or null when not given. */
    public Object get(Hyperparameter h) {
        return settings.get(h);
    }

    /** Every missing field filled with the one default (an unknown choice is kept, for {@link #validate()} to report). */
    public JobSpec withDefaults() {
        TrainConfig.Builder b = TrainConfig.builder();
        Map<Hyperparameter, Object> filled = new EnumMap<>(Hyperparameter.class);
        filled.putAll(settings);
        for (Map.Entry<Hyperparameter, Object> e : settings.entrySet()) {
            try {
                b.set(e.getKey(), e.getKey().fromWire(e.getValue()));
            } catch (IllegalArgumentException unknownChoice) {
                // reported by validate(); the others still get their defaults
            }
        }
        TrainConfig config = b.build();
        for (Hyperparameter h : Hyperparameter.values()) {
            if (filled.get(h) == null) filled.put(h, h.toWire(config.get(h)));
        }
        return new JobSpec(corpusId, name, filled, givenAsNull);
    }

    /**
     * Every problem of a {@link #withDefaults() completed} spec, one "field: message" each, as
     * {@link TrainConfig#validate(TrainLimits)} words them for the server's limits.
     */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (corpusId == null) errors.add("corpusId: is required");
        for (Hyperparameter h : givenAsNull) {
            errors.add(h.key + ": expected " + (h.kind.wireType == String.class ? "a string" : "a number") + ", got null"
                    + " (leave the field out for the default)");
        }
        TrainConfig.Builder b = TrainConfig.builder();
        for (Hyperparameter h : Hyperparameter.values()) {
            try {
                b.set(h, h.fromWire(settings.get(h)));
            } catch (IllegalArgumentException e) {
                errors.add(h.key + ": " + e.getMessage());
            }
        }
        for (String e : b.build().validate(JobLimits.SERVER)) {
            String field = e.substring(0, e.indexOf(':'));
            boolean reported = errors.stream().anyMatch(x -> x.startsWith(field + ":"));
            if (!reported) errors.add(e);
        }
        Number steps = (Number) settings.get(Hyperparameter.STEPS), epochs = (Number) settings.get(Hyperparameter.EPOCHS);
        if (steps != null && epochs != null && steps.longValue() > 0 && epochs.doubleValue() > 0) {
            errors.add("epochs: give steps or epochs, not both");
        }
        if (name != null && name.length() > 120) errors.add("name: may be at most 120 characters");
        return errors;
    }

    /** The core configuration; call only on a valid, completed spec. */
    public TrainConfig toConfig() {
        TrainConfig.Builder b = TrainConfig.builder();
        settings.forEach((h, value) -> b.set(h, h.fromWire(value)));
        return b.build();
    }

    /** Weights and biases of the network this spec builds, for a vocabulary of {@code vocab} symbols. */
    public long parameterCount(int vocab) {
        return toConfig().architecture().parameterCount(vocab);
    }

    public JobSpec withName(String newName) {
        return new JobSpec(corpusId, newName, settings, givenAsNull);
    }

    /** The JSON: corpusId, name, then every hyperparameter given, under its key. */
    @JsonValue
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("corpusId", corpusId);
        json.put("name", name);
        // a setting absent from a stored spec stays absent (heads and bias came with the gpt; a job
        // written before them reads and writes back byte for byte), as null and absent mean the same
        for (Hyperparameter h : Hyperparameter.values()) if (settings.get(h) != null) json.put(h.key, settings.get(h));
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobSpec s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "JobSpec" + toJson();
    }

    /** Reads a spec field by field, each hyperparameter as its {@link Hyperparameter.Kind#wireType}. */
    static final class Reader extends StdDeserializer<JobSpec> {
        Reader() {
            super(JobSpec.class);
        }

        @Override
        public JobSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) return (JobSpec) ctxt.handleUnexpectedToken(JobSpec.class, p);
            String corpusId = null, name = null;
            Map<Hyperparameter, Object> values = new EnumMap<>(Hyperparameter.class);
            Set<Hyperparameter> givenAsNull = EnumSet.noneOf(Hyperparameter.class);
            for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                p.nextToken();
                Hyperparameter h = Hyperparameter.byKey(key);
                if (h == null && !key.equals("corpusId") && !key.equals("name")) {
                    ctxt.handleUnknownProperty(p, this, JobSpec.class, key);
                    continue;
                }
                try {
                    Object value = p.currentToken() == JsonToken.VALUE_NULL ? null
                            : ctxt.readValue(p, (Class<?>) (h == null ? String.class : h.kind.wireType));
                    if (key.equals("corpusId")) corpusId = (String) value;
                    else if (key.equals("name")) name = (String) value;
                    else if (value != null) values.put(h, value);
                    else givenAsNull.add(h);
                } catch (JsonProcessingException e) {
                    throw JsonMappingException.wrapWithPath(e, JobSpec.class, key);
                }
            }
            return new JobSpec(corpusId, name, values, givenAsNull);
        }

        @Override
        public Collection<Object> getKnownPropertyNames() {
            List<Object> names = new ArrayList<>(List.of("corpusId", "name"));
            for (Hyperparameter h : Hyperparameter.values()) names.add(h.key);
            return names;
        }
    }
}
