package dev.rnnplayground.core.optim;

import dev.rnnplayground.core.model.Param;
import java.util.List;

/**
 * Keeps one bad window from throwing the weights far away: exploding gradients are the other
 * face of vanishing ones (Pascanu, Mikolov and Bengio, 2013).
 */
public final class GradientClipping {
    public enum Mode {
        /** Rescale all gradients together when their global L2 norm exceeds the limit (torch.nn.utils.clip_grad_norm_). */
        NORM,
        /** Clamp each gradient element to [-limit, limit] (torch.nn.utils.clip_grad_value_, char-rnn's grad_clip). */
        VALUE;

        public static Mode parse(String name) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(name)) return m;
            throw new IllegalArgumentException("unknown clip mode \"" + name + "\": expected norm or value");
        }
    }

    private GradientClipping() {
    }

    /** The L2 norm of all gradients taken together. */
    public static double globalNorm(List<Param> params) {
        double sum = 0;
        for (Param p : params) for (double g : p.dw) sum += g * g;
        return Math.sqrt(sum);
    }

    /**
     * Clips in place; limit 0 (or less) means no clipping. Returns true when clipping changed
     * anything.
     */
    public static boolean clip(List<Param> params, Mode mode, double limit, double globalNorm) {
        if (limit <= 0) return false;
        if (mode == Mode.NORM) {
            if (!(globalNorm > limit)) return false;
            double scale = limit / (globalNorm + 1e-6);   // as clip_grad_norm_
            for (Param p : params) for (int i = 0; i < p.dw.length; i++) p.dw[i] *= scale;
            return true;
        }
        boolean clipped = false;
        for (Param p : params) {
            for (int i = 0; i < p.dw.length; i++) {
                double g = p.dw[i];
                if (g > limit) { p.dw[i] = limit; clipped = true; }
                else if (g < -limit) { p.dw[i] = -limit; clipped = true; }
            }
        }
        return clipped;
    }
}
