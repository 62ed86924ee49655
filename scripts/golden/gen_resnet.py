#!/usr/bin/python3
"""torchvision resnet18 goldens (PyTorch 1.13 CPU, torchvision 0.14), without committing weights.

Run: /usr/bin/python3 scripts/golden/gen_resnet.py
Writes runtime/src/test/resources/golden/vision/:
  resnet18_keys.txt   one state_dict entry a line: "<key> <dtype> <shape,comma,separated|scalar>"
  resnet18_repr.txt   str(model)
  resnet18.txt        one entry a line: "<name> <values...>" (floats as Python repr of the float32 value)
The model is rebuilt from seeds: torch.manual_seed(0); resnet18(); torch.manual_seed(1);
x = torch.rand(1, 3, 64, 64); labels = torch.rand(1, 1000). ResNetGoldenTest does the same in Java.
"""
import os
import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "../../runtime/src/test/resources/golden/vision")


def vals(t):
    return " ".join(repr(float(v)) for v in t.detach().reshape(-1).tolist())


def main():
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    after_init = torch.rand(4)  # the construction consumed exactly PyTorch's count of random numbers
    torch.manual_seed(1)
    x = torch.rand(1, 3, 64, 64)
    labels = torch.rand(1, 1000)

    lines = []

    def put(name, t):
        lines.append(name + " " + vals(t))

    sd = model.state_dict()
    # the initialisation, to localise a random-stream mismatch
    for k in ["conv1.weight", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight", "layer4.1.conv2.weight", "fc.weight",
              "fc.bias"]:
        put("init_head " + k, sd[k].reshape(-1)[:8])
        put("init_sum " + k, sd[k].double().sum())
    put("rand_after_init", after_init)
    put("x_head", x.reshape(-1)[:8])
    put("labels_head", labels.reshape(-1)[:8])

    model.eval()
    with torch.no_grad():
        put("eval_logits", model(x))

    model.train()
    pred = model(x)
    loss = (pred - labels).sum()
    loss.backward()
    put("train_logits", pred)
    put("train_loss", loss)
    for k in ["conv1.weight", "layer1.0.conv1.weight", "layer3.0.downsample.0.weight", "layer4.1.bn2.weight", "fc.weight",
              "fc.bias"]:
        g = model.get_parameter(k).grad
        put("grad_head " + k, g.reshape(-1)[:8])
        put("grad_sum " + k, g.double().sum())
        put("grad_abssum " + k, g.double().abs().sum())
    put("running_mean_head bn1", model.bn1.running_mean[:8])
    put("running_var_head layer4.1.bn2", model.layer4[1].bn2.running_var[:8])

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "resnet18.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(OUT, "resnet18_keys.txt"), "w", encoding="utf-8", newline="\n") as f:
        for k, v in model.state_dict().items():
            shape = ",".join(str(s) for s in v.shape) or "scalar"
            f.write(f"{k} {str(v.dtype).replace('torch.', '')} {shape}\n")
    with open(os.path.join(OUT, "resnet18_repr.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(str(model) + "\n")
    print("wrote", os.path.normpath(OUT), "params", sum(p.numel() for p in model.parameters()))


if __name__ == "__main__":
    main()
