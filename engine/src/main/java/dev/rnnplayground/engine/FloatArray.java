package dev.rnnplayground.engine;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A float32 array in native memory, so that OpenBLAS reads and writes it in place (a Java
 * {@code float[]} would be copied on every call). Java code reads it through {@link #buf};
 * {@link NativeBlas} hands it to BLAS at an element offset.
 *
 * <p>Freed by JavaCPP's deallocator when unreachable; an engine allocates its arrays once.
 */
final class FloatArray {
    final int length;
    final FloatBuffer buf;
    private final FloatPointer memory;
    /** One positioned view per operand slot of a product, so an array may be A and C at once. */
    final FloatPointer[] views = new FloatPointer[3];

    FloatArray(int length) {
        if (length < 1) throw new IllegalArgumentException("length must be at least 1, got " + length);
        this.length = length;
        this.memory = new FloatPointer(length);
        memory.zero();
        this.buf = memory.asBuffer();
        for (int i = 0; i < views.length; i++) views[i] = new FloatPointer(memory);
    }

    /**
     * The native address of element {@code offset}, for operand slot 0, 1 or 2 of a product. At
     * offset 0 it is the array's own pointer, never repositioned, so that arrays read by several
     * training threads at once (the weights, always at offset 0) share no mutable state; other
     * offsets reposition the slot's view, which only the thread owning the array uses.
     */
    FloatPointer at(int slot, int offset) {
        return offset == 0 ? memory : views[slot].position(offset);
    }

    void zero() {
        memory.zero();
    }

    float get(int i) {
        return buf.get(i);
    }

    void set(int i, float v) {
        buf.put(i, v);
    }

    void copyFrom(double[] values) {
        requireLength(values.length);
        for (int i = 0; i < values.length; i++) buf.put(i, (float) values[i]);
    }

    void copyTo(double[] values) {
        requireLength(values.length);
        for (int i = 0; i < values.length; i++) values[i] = buf.get(i);
    }

    /** Bulk copy of len floats starting at from into dst[off..] (memcpy speed). */
    void read(int from, float[] dst, int off, int len) {
        buf.get(from, dst, off, len);
    }

    /** Bulk copy of src[off..off+len) into this array starting at to. */
    void write(int to, float[] src, int off, int len) {
        buf.put(to, src, off, len);
    }

    void copyFrom(FloatArray other, int from, int to, int count) {
        for (int i = 0; i < count; i++) buf.put(to + i, other.buf.get(from + i));
    }

    private void requireLength(int n) {
        if (n != length) throw new IllegalArgumentException("length mismatch: " + n + " values for an array of " + length);
    }
}
