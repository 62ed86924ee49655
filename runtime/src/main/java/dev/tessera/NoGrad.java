package dev.tessera;

import dev.tessera.autograd.GradMode;

/**
 * {@code try (NoGrad g = Torch.noGrad()) { ... }}: disables graph recording on this thread until
 * closed, restoring the previous mode (so blocks nest), as {@code with torch.no_grad():}.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    NoGrad(boolean enabled) {
        this.previous = GradMode.set(enabled);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            GradMode.set(previous);
        }
    }
}
