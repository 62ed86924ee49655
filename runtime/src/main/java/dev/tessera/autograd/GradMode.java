package dev.tessera.autograd;

/** Thread-local switch for graph recording, as torch.is_grad_enabled / set_grad_enabled. */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Sets the mode and returns the previous one, for restoring. */
    public static boolean set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean prev = cell[0];
        cell[0] = enabled;
        return prev;
    }
}
