package dev.tessera.nn;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;

/** torch.nn.init: the fills used by default layer initialisation, drawn from the default generator. */
public final class Init {
    private Init() {}

    /** fan_in and fan_out of a weight (dim 1 resp. 0 times the receptive field), as _calculate_fan_in_and_fan_out. */
    public static long[] fans(Tensor w) {
        if (w.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        }
        long receptive = 1;
        for (int d = 2; d < w.dim(); d++) receptive *= w.size(d);
        return new long[]{w.size(1) * receptive, w.size(0) * receptive};
    }

    /** kaiming_uniform_(w, a, mode='fan_in', nonlinearity='leaky_relu'), with the float arithmetic of PyTorch's Python code. */
    public static Tensor kaimingUniform_(Tensor w, double a) {
        long fan = fans(w)[0];
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double std = gain / Math.sqrt((double) fan);
        double bound = Math.sqrt(3.0) * std;
        return uniform_(w, -bound, bound);
    }

    public static Tensor uniform_(Tensor t, double from, double to) {
        try (NoGrad g = Torch.noGrad()) {
            return t.uniform_(from, to);
        }
    }

    public static Tensor ones_(Tensor t) {
        try (NoGrad g = Torch.noGrad()) {
            return t.fill_(1.0);
        }
    }

    public static Tensor zeros_(Tensor t) {
        try (NoGrad g = Torch.noGrad()) {
            return t.zero_();
        }
    }
}
