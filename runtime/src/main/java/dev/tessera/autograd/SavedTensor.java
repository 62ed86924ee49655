package dev.tessera.autograd;

import dev.tessera.Tensor;

/**
 * A tensor saved for backward, with the version of its storage at save time. Unpacking checks the
 * version (an in-place change since would make the gradient wrong) and that the graph has not
 * been freed by an earlier backward.
 */
public final class SavedTensor {
    private Tensor tensor;
    private final int savedVersion;
    private final Node owner;
    private final boolean isOutput;

    SavedTensor(Tensor tensor, Node owner, boolean isOutput) {
        this.tensor = tensor;
        this.savedVersion = tensor.storage().version();
        this.owner = owner;
        this.isOutput = isOutput;
    }

    public Tensor get() {
        if (tensor == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved tensors "
                    + "after they have already been freed). Saved intermediate values of the graph are freed when you call "
                    + ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a "
                    + "second time or if you need to access saved tensors after calling backward.");
        }
        int now = tensor.storage().version();
        if (now != savedVersion) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: [" + Tensor.legacyTypeName(tensor) + " " + tensor.shape().toString().replace("torch.Size(", "").replace(")", "")
                    + "]" + producer() + " is at version " + now
                    + "; expected version " + savedVersion + " instead. Hint: enable anomaly detection to find the operation "
                    + "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        // Saved outputs are detached so that using them in backward does not create a reference cycle
        // through their own grad_fn.
        return tensor;
    }

    /** PyTorch names the node that produced the tensor: the owner for saved outputs, else its current grad_fn. */
    private String producer() {
        if (isOutput) return ", which is output 0 of " + owner.name() + ",";
        Node fn = tensor.gradFn();
        return fn == null ? "" : ", which is output " + tensor.outputNr() + " of " + fn.name().replace("torch::autograd::", "") + ",";
    }

    void release() { tensor = null; }
}
