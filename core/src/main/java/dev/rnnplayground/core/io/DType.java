package dev.rnnplayground.core.io;

/**
 * The element types a tensor can be stored in. In memory every tensor is {@code double}; the dtype
 * only decides how many bytes each value takes in the file and how much precision survives.
 */
public enum DType {
    /** IEEE 754 single precision: half the size, about 7 significant digits. */
    F32("F32", 4),
    /** IEEE 754 double precision: exact round trip of the in-memory values. */
    F64("F64", 8);

    private final String safetensorsName;
    private final int byteSize;

    DType(String safetensorsName, int byteSize) {
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
    }

    /** The name in a safetensors header's "dtype" field, e.g. "F32". */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype with this safetensors name (case-sensitive, as the spec has it), or null if unsupported. */
    public static DType bySafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) return t;
        }
        return null;
    }
}
