package dev.tessera.autograd;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * torch.autograd.gradcheck for tests: compares the gradients backward computes with central
 * finite differences in float64. The function's output is reduced to a scalar with fixed random
 * weights, so every output element contributes with a distinct coefficient (a transposed or
 * permuted gradient cannot pass by symmetry).
 */
public final class GradCheck {
    private static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private GradCheck() {}

    /** Leaf float64 inputs requiring grad, filled with values in [lo, hi) from a fixed seed. */
    public static Tensor input(long seed, double lo, double hi, long... shape) {
        Random r = new Random(seed);
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Torch.tensor(v, DType.FLOAT64).reshape(shape).requiresGrad_(true);
    }

    public static Tensor input(long seed, long... shape) { return input(seed, -1, 1, shape); }

    /**
     * Checks every input's gradient. {@code f} is applied to fresh float64 leaves for the numeric
     * evaluations and to {@code inputs} for the analytic one.
     */
    public static void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.FLOAT64 || !t.requiresGrad() || !t.isLeaf()) {
                throw new IllegalArgumentException(what + ": gradcheck inputs must be float64 leaves requiring grad");
            }
            t.setGrad(null);
        }
        Tensor out = f.apply(inputs);
        if (out.gradFn() == null) throw new AssertionError(what + ": output has no grad_fn");
        double[] w = weights(out.numel());
        Tensor weights = Torch.tensor(w, DType.FLOAT64).reshape(out.shapeArray());
        out.backward(weights.to(out.dtype()));
        for (int i = 0; i < inputs.length; i++) {
            double[] analytic = inputs[i].grad() == null ? new double[(int) inputs[i].numel()] : inputs[i].grad().toDoubleArray();
            if (inputs[i].grad() != null && !Arrays.equals(inputs[i].grad().shapeArray(), inputs[i].shapeArray())) {
                throw new AssertionError(what + ": grad of input " + i + " has shape " + inputs[i].grad().shape());
            }
            double[] numeric = numeric(f, inputs, i, w);
            for (int k = 0; k < numeric.length; k++) {
                if (!(Math.abs(analytic[k] - numeric[k]) <= ATOL + RTOL * Math.abs(numeric[k]))) {
                    throw new AssertionError(what + ": input " + i + " element " + k + ": analytic " + analytic[k] + " vs numeric "
                            + numeric[k] + "\nanalytic=" + Arrays.toString(analytic) + "\nnumeric=" + Arrays.toString(numeric));
                }
            }
        }
    }

    private static double[] weights(long n) {
        Random r = new Random(12345);
        double[] w = new double[(int) n];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + r.nextDouble();
        return w;
    }

    private static double[] numeric(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] w) {
        double[][] values = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) values[i] = inputs[i].detach().toDoubleArray();
        double[] grad = new double[values[which].length];
        for (int k = 0; k < grad.length; k++) {
            double orig = values[which][k];
            values[which][k] = orig + EPS;
            double plus = evaluate(f, inputs, values, w);
            values[which][k] = orig - EPS;
            double minus = evaluate(f, inputs, values, w);
            values[which][k] = orig;
            grad[k] = (plus - minus) / (2 * EPS);
        }
        return grad;
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] like, double[][] values, double[] w) {
        Tensor[] fresh = new Tensor[like.length];
        for (int i = 0; i < like.length; i++) fresh[i] = Torch.tensor(values[i].clone(), DType.FLOAT64).reshape(like[i].shapeArray());
        double[] out;
        try (var g = Torch.noGrad()) {
            out = f.apply(fresh).to(DType.FLOAT64).toDoubleArray();
        }
        double s = 0;
        for (int i = 0; i < out.length; i++) s += out[i] * w[i];
        return s;
    }
}
