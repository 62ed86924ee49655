package dev.tessera.nn;

import dev.tessera.Tensor;

/** torch.nn.Sequential: children named "0", "1", ... applied in order. */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) registerModule(String.valueOf(i), modules[i]);
    }

    /** Appends a module under the next index. */
    public Sequential append(Module m) {
        registerModule(String.valueOf(namedChildren().size()), m);
        return this;
    }

    public Module get(int i) { return getSubmodule(String.valueOf(i)); }

    public int size() { return namedChildren().size(); }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
