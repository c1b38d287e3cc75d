package dev.rnnplayground.core.optim;

/** The optimizers a run can choose, each with the learning rate it works well with here. */
public enum OptimizerType {
    SGD("sgd", 0.1),
    ADAGRAD("adagrad", 0.1),
    RMSPROP("rmsprop", 2e-3),
    ADAM("adam", 2e-3),
    /** Adam with decoupled weight decay (Loshchilov and Hutter, 2019): nanoGPT's optimizer, and its 1e-3. */
    ADAMW("adamw", 1e-3);

    private final String id;
    private final double defaultLearningRate;

    OptimizerType(String id, double defaultLearningRate) {
        this.id = id;
        this.defaultLearningRate = defaultLearningRate;
    }

    public String id() {
        return id;
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    public static OptimizerType parse(String name) {
        for (OptimizerType o : values()) if (o.id.equalsIgnoreCase(name)) return o;
        throw new IllegalArgumentException("unknown optimizer \"" + name + "\": expected sgd, adagrad, rmsprop, adam or adamw");
    }
}
