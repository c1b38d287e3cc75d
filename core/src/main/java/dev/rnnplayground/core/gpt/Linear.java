package dev.rnnplayground.core.gpt;

/**
 * A fully connected layer as {@code nn.Linear(in, out)}: y = x W^T + b, W stored (out, in)
 * row-major as PyTorch stores it; the bias is null in a model without biases. llm.c's
 * {@code matmul_forward} and {@code matmul_backward}, as plain loops. The attending LSTM
 * ({@code attend.AttentiveLstm}) uses it too.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * @param out    (R, OC) output
     * @param in     (R, C) not modified
     * @param weight (OC, C), bias (OC) or null: not modified
     */
    public static void forward(double[] out, double[] in, double[] weight, double[] bias, int rows, int inputs, int outputs) {
        for (int r = 0; r < rows; r++) {
            int inRow = r * inputs, outRow = r * outputs;
            for (int o = 0; o < outputs; o++) {
                double sum = bias == null ? 0 : bias[o];
                int wRow = o * inputs;
                for (int i = 0; i < inputs; i++) sum += in[inRow + i] * weight[wRow + i];
                out[outRow + o] = sum;
            }
        }
    }

    /**
     * Adds into din (R, C), dweight (OC, C) and dbias (OC, or null) the gradients that dout (R, OC)
     * implies: din += dout W, dW += dout^T x, db += the column sums of dout.
     */
    public static void backward(double[] din, double[] dweight, double[] dbias, double[] dout, double[] in, double[] weight,
                         int rows, int inputs, int outputs) {
        for (int r = 0; r < rows; r++) {
            int inRow = r * inputs, outRow = r * outputs;
            for (int o = 0; o < outputs; o++) {
                double d = dout[outRow + o];
                int wRow = o * inputs;
                for (int i = 0; i < inputs; i++) {
                    din[inRow + i] += d * weight[wRow + i];
                    dweight[wRow + i] += d * in[inRow + i];
                }
                if (dbias != null) dbias[o] += d;
            }
        }
    }
}
