package dev.tessera.nn;

import dev.tessera.Device;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * torch.nn.Module: parameters, buffers and submodules kept in registration order, so that
 * {@link #parameters()}, {@link #namedParameters()} and {@link #stateDict()} enumerate exactly as
 * PyTorch does (own entries first, then children recursively).
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    public abstract Tensor forward(Tensor input);

    // ---- registration ------------------------------------------------------------------------

    /** Registers a parameter (a leaf requiring grad); null registers the name with no tensor, as register_parameter(name, None). */
    protected Tensor registerParameter(String name, Tensor param) {
        checkName(name, params);
        if (param != null && !param.isLeaf()) {
            throw new IllegalArgumentException("Cannot assign non-leaf Tensor to parameter '" + name + "'. Model parameters must be created "
                    + "explicitly. To express '" + name + "' as a function of another Tensor, compute the value in the forward() method.");
        }
        if (param != null && !param.requiresGrad()) param.requiresGrad_(true);
        params.put(name, param);
        return param;
    }

    protected Tensor registerBuffer(String name, Tensor buffer) { return registerBuffer(name, buffer, true); }

    protected Tensor registerBuffer(String name, Tensor buffer, boolean persistent) {
        checkName(name, buffers);
        buffers.put(name, buffer);
        if (!persistent) nonPersistent.add(name);
        return buffer;
    }

    protected <M extends Module> M registerModule(String name, M module) {
        checkName(name, modules);
        modules.put(name, module);
        return module;
    }

    private void checkName(String name, Map<String, ?> own) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name can't be empty string \"\"");
        if (name.contains(".")) throw new IllegalArgumentException("name can't contain \".\", got: " + name);
        if (!own.containsKey(name) && (params.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name))) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /** Replaces (or adds) a direct child; an existing child keeps its position in the order. */
    public void setSubmodule(String name, Module module) {
        if (name.contains(".")) {
            int dot = name.lastIndexOf('.');
            getSubmodule(name.substring(0, dot)).setSubmodule(name.substring(dot + 1), module);
            return;
        }
        checkName(name, modules);
        modules.put(name, module);
    }

    /** The submodule at a dotted path ("layer1.0.conv1"); "" is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module m = this;
        for (String atom : target.split("\\.")) {
            Module next = m.modules.get(atom);
            if (next == null) throw new IllegalArgumentException(m.getClass().getSimpleName() + " has no attribute `" + atom + "`");
            m = next;
        }
        return m;
    }

    /** A direct parameter by name (null when registered as None). */
    protected Tensor param(String name) { return params.get(name); }

    protected Tensor buffer(String name) { return buffers.get(name); }

    /** Replaces a registered buffer's tensor (e.g. num_batches_tracked after an out-of-place update). */
    protected void setBuffer(String name, Tensor t) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("no buffer named " + name);
        buffers.put(name, t);
    }

    // ---- enumeration -------------------------------------------------------------------------

    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters with dotted names, deduplicated by identity as PyTorch's named_parameters. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> p : e.getValue().params.entrySet()) {
                if (p.getValue() != null && seen.add(p.getValue())) out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** Direct children in registration order (null entries skipped). */
    public List<Module> children() { return new ArrayList<>(namedChildren().values()); }

    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        modules.forEach((k, v) -> { if (v != null) out.put(k, v); });
        return out;
    }

    /** This module ("") and all descendants, depth first in registration order, each once. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collect("", this, out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out;
    }

    private static void collect(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.modules.entrySet()) {
            if (e.getValue() != null) collect(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
        }
    }

    // ---- state dict --------------------------------------------------------------------------

    /** Parameters and persistent buffers per module (own first, then children), detached but sharing storage. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        addState("", out);
        return out;
    }

    private void addState(String prefix, Map<String, Tensor> out) {
        params.forEach((k, v) -> { if (v != null) out.put(prefix + k, v.detach()); });
        buffers.forEach((k, v) -> { if (v != null && !nonPersistent.contains(k)) out.put(prefix + k, v.detach()); });
        modules.forEach((k, v) -> { if (v != null) v.addState(prefix + k + ".", out); });
    }

    /** The keys load_state_dict reported as missing or unexpected (non-strict loading). */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {}

    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * Copies matching entries into this module's parameters and buffers (in place, without
     * recording). Size mismatches always fail; missing and unexpected keys fail when strict, with
     * PyTorch's message.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> state = new LinkedHashMap<>(stateDict);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        try (NoGrad g = Torch.noGrad()) {
            for (Map.Entry<String, Module> e : namedModules().entrySet()) {
                String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
                e.getValue().loadOwn(prefix, state, missing, unexpected, errors);
            }
        }
        if (strict) {
            if (!unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            if (!missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        return sb.toString();
    }

    /** Loads this module's own parameters and persistent buffers; subclasses may patch the state first (BatchNorm). */
    protected void loadOwn(String prefix, Map<String, Tensor> state, List<String> missing, List<String> unexpected, List<String> errors) {
        Map<String, Tensor> local = new LinkedHashMap<>();
        params.forEach((k, v) -> { if (v != null) local.put(k, v); });
        buffers.forEach((k, v) -> { if (v != null && !nonPersistent.contains(k)) local.put(k, v); });
        for (Map.Entry<String, Tensor> e : local.entrySet()) {
            String key = prefix + e.getKey();
            Tensor mine = e.getValue();
            Tensor in = state.get(key);
            if (in == null) {
                missing.add(key);
                continue;
            }
            // backward compatibility rule of PyTorch: a 1-element 1-D entry loads into a 0-d tensor
            if (mine.dim() == 0 && in.dim() == 1 && in.numel() == 1) in = in.reshape();
            if (!Arrays.equals(mine.shapeArray(), in.shapeArray())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + in.shape() + " from checkpoint, "
                        + "the shape in current model is " + mine.shape() + ".");
                continue;
            }
            mine.copy_(in);
        }
        // as PyTorch: a key under this prefix whose first segment is neither a local entry nor a child
        for (String key : state.keySet()) {
            if (!key.startsWith(prefix)) continue;
            String first = key.substring(prefix.length()).split("\\.", 2)[0];
            if (!modules.containsKey(first) && !local.containsKey(first)) unexpected.add(key);
        }
    }

    // ---- devices -----------------------------------------------------------------------------

    /** module.to("cuda"): see {@link #to(Device)}. */
    public Module to(String device) { return to(Device.of(device)); }

    /**
     * Moves every parameter and buffer (and existing gradients) to {@code device}. A moved
     * parameter is a new leaf tensor with the same requires-grad flag (as PyTorch with
     * overwrite_module_params_on_conversion): create optimizers after moving the model. Tensors
     * already on the device stay as they are.
     */
    public Module to(Device device) {
        for (Module m : namedModules().values()) {
            m.params.replaceAll((name, p) -> p == null || p.device().equals(device) ? p : movedParameter(p, device));
            m.buffers.replaceAll((name, b) -> b == null ? null : b.to(device));
        }
        return this;
    }

    private static Tensor movedParameter(Tensor p, Device device) {
        Tensor moved = p.detach().to(device).requiresGrad_(p.requiresGrad());
        if (p.grad() != null) moved.setGrad(p.grad().detach().to(device));
        return moved;
    }

    // ---- modes and grads ---------------------------------------------------------------------

    public Module train() { return train(true); }

    public Module train(boolean mode) {
        for (Module m : namedModules().values()) m.training = mode;
        return this;
    }

    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** As PyTorch 1.13's zero_grad(set_to_none=False): gradients are detached and zeroed in place. */
    public void zeroGrad() { zeroGrad(false); }

    public void zeroGrad(boolean setToNone) { Autograd.zeroGrad(parameters(), setToNone); }

    /** Module.apply: calls {@code fn} on every submodule (children first) and then on this one. */
    public Module apply(Consumer<Module> fn) {
        for (Module m : children()) m.apply(fn);
        fn.accept(this);
        return this;
    }

    // ---- repr --------------------------------------------------------------------------------

    /** The text inside the parentheses of this module's repr (PyTorch's extra_repr). */
    protected String extraRepr() { return ""; }

    /** PyTorch's module repr: name(extra) or a multi-line listing of children as "(name): child". */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) lines.addAll(Arrays.asList(extra.split("\n")));
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String child = e.getValue() == null ? "None" : e.getValue().toString().replace("\n", "\n  ");
            lines.add("(" + e.getKey() + "): " + child);
        }
        String name = getClass().getSimpleName();
        if (lines.isEmpty()) return name + "()";
        if (modules.isEmpty() && lines.size() == 1) return name + "(" + extra + ")";
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }

    /** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
