package dev.tessera.autograd.functions;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Edge;
import dev.tessera.autograd.Node;

/**
 * PyTorch's CopySlices: the history of a base tensor after an in-place op wrote through one of
 * its views. Backward routes the view's region of the gradient through the in-place op's own
 * backward and passes the rest of the base's gradient through unchanged.
 */
final class CopySlices extends Node {
    private final Node fn;
    private final long[] viewShape, viewStrides;
    private final long viewOffset;
    private final long[] baseShape, baseStrides;
    private final long baseOffset;

    private CopySlices(Edge[] edges, Node fn, Tensor base, Tensor view) {
        super("torch::autograd::CopySlices", edges);
        this.fn = fn;
        this.viewShape = view.shapeArray().clone();
        this.viewStrides = view.strideArray().clone();
        this.viewOffset = view.storageOffset();
        this.baseShape = base.shapeArray().clone();
        this.baseStrides = base.strideArray().clone();
        this.baseOffset = base.storageOffset();
    }

    static Node create(Tensor base, Tensor view, Node fn) {
        java.util.List<Edge> fnEdges = fn.nextFunctions();
        Edge[] edges = new Edge[fnEdges.size()];
        edges[0] = dev.tessera.autograd.Autograd.edgeOf(base);
        for (int i = 1; i < edges.length; i++) edges[i] = fnEdges.get(i);
        return new CopySlices(edges, fn, base, view);
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        // Lay the gradient out like the base so the view's geometry addresses the same elements.
        Tensor result = Torch.emptyStrided(baseShape, baseStrides, g.dtype(), g.device());
        result.copy_(g);
        Tensor region = result.asStrided(viewShape, viewStrides, viewOffset - baseOffset + result.storageOffset());
        Tensor[] res = fn.applyGradients(new Tensor[]{region.clone()});
        if (res[0] != null) region.copy_(res[0]);
        else region.zero_();
        Tensor[] out = new Tensor[res.length];
        out[0] = result;
        System.arraycopy(res, 1, out, 1, res.length - 1);
        return out;
    }
}
