#!/usr/bin/python3
"""Writes the exact stdout of the seed tutorial (Tensors, NumPy bridge, autograd prints) as PyTorch
1.13 prints it, in the call order of dev.tessera.examples.Tutorial, to
runtime/src/test/resources/golden/tutorial/expected.txt. CUDA is assumed unavailable (as on the CI
machine). The ResNet-18 cells print nothing but draw random numbers (initialisation, data, labels,
the new fc), so they run here in the same order, with random weights: loading the torchvision
checkpoint would not change the stream, since resnet18(weights=...) initialises before loading.
"""
import io
import os
import contextlib
import numpy as np
import torch
import torchvision

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources",
                   "golden", "tutorial", "expected.txt")


def tutorial():
    torch.manual_seed(42)
    # Tensors
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)
    x_ones = torch.ones_like(x_data)
    print(f"Ones Tensor: \n {x_ones} \n")
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    print(f"Random Tensor: \n {x_rand} \n")
    shape = (2, 3,)
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)
    print(f"Random Tensor: \n {rand_tensor} \n")
    print(f"Ones Tensor: \n {ones_tensor} \n")
    print(f"Zeros Tensor: \n {zeros_tensor}")
    tensor = torch.rand(3, 4)
    print(f"Shape of tensor: {tensor.shape}")
    print(f"Datatype of tensor: {tensor.dtype}")
    print(f"Device tensor is stored on: {tensor.device}")
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    print(tensor)
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    print(t1)
    print(f"tensor.mul(tensor) \n {tensor.mul(tensor)} \n")
    print(f"tensor * tensor \n {tensor * tensor}")
    print(f"tensor.matmul(tensor.T) \n {tensor.matmul(tensor.T)} \n")
    print(f"tensor @ tensor.T \n {tensor @ tensor.T}")
    print(tensor, "\n")
    tensor.add_(5)
    print(tensor)
    # NumPy bridge
    t = torch.ones(5)
    print(f"t: {t}")
    n = t.numpy()
    print(f"n: {n}")
    t.add_(1)
    print(f"t: {t}")
    print(f"n: {n}")
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    print(f"t: {t}")
    print(f"n: {n}")
    # autograd: model = resnet18(weights=ResNet18_Weights.DEFAULT), random weights here (same stream)
    model = torchvision.models.resnet18()
    data = torch.rand(1, 3, 64, 64)
    labels = torch.rand(1, 1000)
    prediction = model(data)
    loss = (prediction - labels).sum()
    loss.backward()
    optim = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    optim.step()
    a = torch.tensor([2., 3.], requires_grad=True)
    b = torch.tensor([6., 4.], requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    external_grad = torch.tensor([1., 1.])
    Q.backward(gradient=external_grad)
    print(9 * a ** 2 == a.grad)
    print(-2 * b == b.grad)
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")
    model = torchvision.models.resnet18()
    for param in model.parameters():
        param.requires_grad = False
    model.fc = torch.nn.Linear(512, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)  # noqa: F841


def main():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tutorial()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(buf.getvalue())
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
