package dev.rnnplayground.core.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the tensor file of Hugging Face, which PyTorch, NumPy and JAX can load. The layout is:
 *
 * <pre>
 *   8 bytes   N, unsigned 64-bit little-endian: the header length
 *   N bytes   UTF-8 JSON object, starting with '{', padded with spaces (we pad so 8 + N is a multiple of 8):
 *             {"__metadata__": {"key": "value", ...},                       (optional, strings only)
 *              "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 *   rest      the data section: every tensor's values, little-endian, row-major, at
 *             [begin, end) counted from the start of the data section
 * </pre>
 *
 * The data section must be covered exactly: no tensor overlaps another, no byte belongs to no
 * tensor. The reader checks all of this and rejects a bad file with a {@link ModelFormatException};
 * it never reads out of bounds and never lets another exception type escape.
 *
 * <p>Works on byte arrays only (no files, no ByteBuffer) so that it runs under TeaVM in a browser.
 */
public final class SafeTensors {

    /** Largest header accepted, as in the reference implementation; real headers are kilobytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The reserved header key for the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int LENGTH_BYTES = 8;   // the u64 header length that opens the file

    private SafeTensors() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes tensors, in list order, to a safetensors file.
     *
     * @param tensors  the tensors, names distinct and not {@value #METADATA_KEY}; not modified
     * @param metadata string-to-string metadata for {@value #METADATA_KEY}, in iteration order;
     *                 null or empty writes none; not modified
     * @param dtype    how to store every value: F32 rounds each to the nearest float, F64 is exact
     * @return the complete file
     * @throws IllegalArgumentException on duplicate or reserved names, null metadata entries, or a
     *                                  file that would not fit in a byte array
     */
    public static byte[] write(List<Tensor> tensors, Map<String, String> metadata, DType dtype) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(dtype, "dtype");
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata keys and values must not be null: " + e);
                }
            }
            header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (t.name().equals(METADATA_KEY) || header.containsKey(t.name())) {
                throw new IllegalArgumentException("tensor name " + Json.quote(t.name())
                        + (t.name().equals(METADATA_KEY) ? " is reserved" : " appears twice"));
            }
            long end = offset + (long) t.size() * dtype.byteSize();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype.safetensorsName());
            List<Object> shape = new ArrayList<>();
            for (int dim : t.shape()) shape.add((long) dim);
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, end));
            header.put(t.name(), entry);
            offset = end;
        }
        byte[] json = Utf8.encode(Json.write(header));
        int paddedLength = (json.length + 7) / 8 * 8;   // keeps the data section 8-byte aligned
        long total = LENGTH_BYTES + paddedLength + offset;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a safetensors file of " + total + " bytes does not fit in a byte array");
        }
        byte[] out = new byte[(int) total];
        putLongLE(out, 0, paddedLength);
        System.arraycopy(json, 0, out, LENGTH_BYTES, json.length);
        Arrays.fill(out, LENGTH_BYTES + json.length, LENGTH_BYTES + paddedLength, (byte) ' ');
        int p = LENGTH_BYTES + paddedLength;
        for (Tensor t : tensors) {
            for (double v : t.data()) {
                if (dtype == DType.F32) {
                    putIntLE(out, p, Float.floatToRawIntBits((float) v));
                } else {
                    putLongLE(out, p, Double.doubleToRawLongBits(v));
                }
                p += dtype.byteSize();
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** A header entry, checked: the bytes [begin, end) of the data section hold this tensor. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /**
     * Reads a safetensors file holding F32 and/or F64 tensors; every value becomes a double.
     *
     * @param bytes the complete file; not modified
     * @return the tensors in header order and the metadata (empty if the file has none)
     * @throws ModelFormatException if the file is not a well-formed safetensors file of F32/F64
     *                              tensors; the message names the first problem found
     */
    public static TensorFile read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < LENGTH_BYTES) {
            throw new ModelFormatException("model file is too short to be a safetensors file: it has "
                    + bytes.length + " bytes, but the header length alone takes 8");
        }
        long headerLength = getLongLE(bytes, 0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException("model file header length "
                    + (headerLength < 0 ? "over 2^63" : Long.toString(headerLength))
                    + " bytes is over the 100 MB limit: this is not a safetensors file, or it is damaged");
        }
        long afterLength = bytes.length - LENGTH_BYTES;
        if (headerLength > afterLength) {
            throw new ModelFormatException("model file is truncated: header says " + headerLength
                    + " bytes but only " + afterLength + " follow");
        }
        int dataStart = LENGTH_BYTES + (int) headerLength;
        long dataLength = bytes.length - dataStart;
        if (headerLength == 0 || bytes[LENGTH_BYTES] != '{') {
            throw new ModelFormatException("model file header does not start with '{': this is not a safetensors file");
        }
        String headerText;
        Object parsed;
        try {
            headerText = Utf8.decode(bytes, LENGTH_BYTES, (int) headerLength);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("model file header is " + e.getMessage(), e);
        }
        try {
            parsed = Json.parse(headerText);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("model file header is not valid JSON: " + e.getMessage(), e);
        }
        // A text that starts with '{' and parses as one value is an object.
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) parsed;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(e.getValue(), metadata);
            } else {
                entries.add(readEntry(e.getKey(), e.getValue(), dataLength));
            }
        }
        checkCoverage(entries, dataLength);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry entry : entries) {
            double[] data = new double[(int) ((entry.end - entry.begin) / entry.dtype.byteSize())];
            int p = dataStart + (int) entry.begin;
            for (int i = 0; i < data.length; i++) {
                if (entry.dtype == DType.F32) {
                    data[i] = Float.intBitsToFloat(getIntLE(bytes, p));
                } else {
                    data[i] = Double.longBitsToDouble(getLongLE(bytes, p));
                }
                p += entry.dtype.byteSize();
            }
            tensors.put(entry.name, new Tensor(entry.name, entry.shape, data));
        }
        return new TensorFile(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Object value, Map<String, String> metadata) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ModelFormatException("model file " + METADATA_KEY + " is not a JSON object of strings");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();   // JSON object keys are always strings
            if (!(e.getValue() instanceof String s)) {
                throw new ModelFormatException("model file metadata value for " + Json.quote(key)
                        + " is not a string: " + Json.write(e.getValue()));
            }
            metadata.put(key, s);
        }
    }

    private static Entry readEntry(String name, Object value, long dataLength) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw tensorError(name, "is described by " + Json.write(value) + " instead of a JSON object");
        }
        for (Object field : fields.keySet()) {
            if (!field.equals("dtype") && !field.equals("shape") && !field.equals("data_offsets")) {
                throw tensorError(name, "has an unexpected field " + Json.quote((String) field));
            }
        }
        Object dtypeValue = required(name, fields, "dtype");
        Object shapeValue = required(name, fields, "shape");
        Object offsetsValue = required(name, fields, "data_offsets");

        if (!(dtypeValue instanceof String dtypeName)) {
            throw tensorError(name, "has a \"dtype\" that is not a string: " + Json.write(dtypeValue));
        }
        DType dtype = DType.bySafetensorsName(dtypeName);
        if (dtype == null) {
            throw tensorError(name, "has dtype " + Json.quote(dtypeName) + ", but only F32 and F64 are supported");
        }

        if (!(shapeValue instanceof List<?> dims) || !allIntegers(dims)) {
            throw tensorError(name, "has a \"shape\" that is not a list of integers: " + Json.write(shapeValue));
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long dim = (Long) dims.get(i);
            if (dim < 0) throw tensorError(name, "has a negative dimension in shape " + Json.write(dims));
            if (dim > Integer.MAX_VALUE) throw tensorError(name, "has a dimension too large in shape " + Json.write(dims));
            shape[i] = (int) dim;
            count = count > Long.MAX_VALUE / Math.max(dim, 1) ? Long.MAX_VALUE : count * dim;
        }

        if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2 || !allIntegers(offsets)
                || (Long) offsets.get(0) < 0 || (Long) offsets.get(1) < 0) {
            throw tensorError(name, "has \"data_offsets\" that are not two non-negative integers: "
                    + Json.write(offsetsValue));
        }
        long begin = (Long) offsets.get(0);
        long end = (Long) offsets.get(1);
        if (end < begin) {
            throw tensorError(name, "has data_offsets [" + begin + ", " + end + "] that end before they begin");
        }
        if (end > dataLength) {
            throw tensorError(name, "has data_offsets [" + begin + ", " + end + "] past the end of the data section ("
                    + dataLength + " bytes): the file is truncated or damaged");
        }
        long expectedBytes = count > Long.MAX_VALUE / dtype.byteSize() ? Long.MAX_VALUE : count * dtype.byteSize();
        if (expectedBytes != end - begin) {
            throw tensorError(name, "has shape " + Arrays.toString(shape) + " of " + dtypeName + ", "
                    + (expectedBytes == Long.MAX_VALUE ? "too many" : Long.toString(expectedBytes))
                    + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Every data byte belongs to exactly one tensor (the spec: "entirely indexed", no holes). */
    private static void checkCoverage(List<Entry> entries, long dataLength) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long covered = 0;            // bytes [0, covered) belong to tensors seen so far
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < covered) {
                throw new ModelFormatException("tensors " + Json.quote(previous.name) + " and " + Json.quote(e.name)
                        + " in the model file overlap: data_offsets [" + previous.begin + ", " + previous.end
                        + "] and [" + e.begin + ", " + e.end + "]");
            }
            if (e.begin > covered) {
                throw new ModelFormatException("model file data section has a hole: bytes [" + covered + ", "
                        + e.begin + ") before tensor " + Json.quote(e.name) + " belong to no tensor");
            }
            covered = e.end;
            previous = e;
        }
        if (covered < dataLength) {
            throw new ModelFormatException("model file has " + (dataLength - covered)
                    + " unused bytes after its last tensor");
        }
    }

    private static Object required(String tensor, Map<?, ?> fields, String field) {
        if (!fields.containsKey(field)) throw tensorError(tensor, "has no \"" + field + "\" field");
        return fields.get(field);
    }

    private static boolean allIntegers(List<?> values) {
        for (Object v : values) {
            if (!(v instanceof Long)) return false;
        }
        return true;
    }

    private static ModelFormatException tensorError(String name, String problem) {
        return new ModelFormatException("tensor " + Json.quote(name) + " in the model file " + problem);
    }

    // ---------------------------------------------------------------- little-endian bytes

    private static void putIntLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putLongLE(byte[] b, int at, long v) {
        putIntLE(b, at, (int) v);
        putIntLE(b, at + 4, (int) (v >>> 32));
    }

    private static int getIntLE(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static long getLongLE(byte[] b, int at) {
        return (getIntLE(b, at) & 0xFFFFFFFFL) | (long) getIntLE(b, at + 4) << 32;
    }
}
