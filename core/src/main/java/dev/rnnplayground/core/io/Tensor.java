package dev.rnnplayground.core.io;

import java.util.Arrays;

/**
 * A named n-dimensional array of doubles, as stored in a model file.
 *
 * <p>{@code data} is row-major (C order, the last index varies fastest, as in PyTorch and NumPy):
 * element {@code [i][j]} of a {@code [rows, cols]} tensor is {@code data[i * cols + j]}. A shape of
 * {@code []} is a scalar holding one value. The arrays are shared, not copied.
 *
 * @param name  the tensor's name, e.g. {@code rnn.weight_ih_l0}
 * @param shape the size of each dimension, all non-negative
 * @param data  the values, exactly as many as the product of {@code shape}
 */
public record Tensor(String name, int[] shape, double[] data) {

    public Tensor {
        if (name == null) throw new IllegalArgumentException("tensor name is null");
        if (shape == null) throw new IllegalArgumentException("tensor \"" + name + "\" has no shape");
        if (data == null) throw new IllegalArgumentException("tensor \"" + name + "\" has no data");
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\" has a negative dimension in shape "
                        + Arrays.toString(shape));
            }
            // Saturate just above any int so the product cannot overflow; a later 0 still yields 0.
            count = Math.min(count * dim, Integer.MAX_VALUE + 1L);
        }
        if (count != data.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\" has shape " + Arrays.toString(shape)
                    + " but " + data.length + " values");
        }
    }

    /** How many values the tensor holds: the product of its shape. */
    public int size() {
        return data.length;
    }

    /** Equal when name, shape and every value are equal ({@link Double#equals} semantics, so NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    /** Name and shape only: a model's tensors can hold millions of values. */
    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
