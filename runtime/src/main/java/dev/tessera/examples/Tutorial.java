package dev.tessera.examples;

import static dev.tessera.Index.all;
import static dev.tessera.Index.at;
import static dev.tessera.Torch.*;

import dev.tessera.Cuda;
import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.numpy.NDArray;
import java.io.PrintStream;
import java.util.List;

/**
 * The seed tutorial (PyTorch's "Tensors" and "A Gentle Introduction to torch.autograd"), line by
 * line in Java. Prints what the Python prints; each Python statement is quoted above its Java.
 */
public final class Tutorial {
    private final PrintStream out;

    public Tutorial(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        new Tutorial(System.out).run();
    }

    /** Python's print(a, b): str() of each, separated by a space, then a newline. */
    private void print(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(parts[i] instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(parts[i]));
        }
        out.println(sb);
    }

    public void run() {
        manualSeed(42);
        tensors();
        numpyBridge();
        autograd();
    }

    private void tensors() {
        // data = [[1, 2], [3, 4]]; x_data = torch.tensor(data)
        long[][] data = {{1, 2}, {3, 4}};
        Tensor xData = tensor(data);
        // np_array = np.array(data); x_np = torch.from_numpy(np_array)
        NDArray npArray = xData.clone().numpy();
        Tensor xNp = fromNumpy(npArray);
        assert xNp.equal(xData);

        Tensor xOnes = onesLike(xData);
        print("Ones Tensor: \n " + xOnes + " \n");
        Tensor xRand = randLike(xData, DType.FLOAT32);
        print("Random Tensor: \n " + xRand + " \n");

        long[] shape = {2, 3};
        Tensor randTensor = rand(shape);
        Tensor onesTensor = ones(shape);
        Tensor zerosTensor = zeros(shape);
        print("Random Tensor: \n " + randTensor + " \n");
        print("Ones Tensor: \n " + onesTensor + " \n");
        print("Zeros Tensor: \n " + zerosTensor);

        Tensor tensor = rand(3, 4);
        print("Shape of tensor: " + tensor.shape());
        print("Datatype of tensor: " + tensor.dtype());
        print("Device tensor is stored on: " + tensor.device());

        // if torch.cuda.is_available(): tensor = tensor.to('cuda')
        if (Cuda.isAvailable()) {
            tensor = tensor.to("cuda");
            print("Device tensor is stored on: " + tensor.device());
        }

        tensor = ones(4, 4);
        tensor.indexPut_(new Index[]{all(), at(1)}, 0);
        print(tensor);

        Tensor t1 = cat(List.of(tensor, tensor, tensor), 1);
        print(t1);

        print("tensor.mul(tensor) \n " + tensor.mul(tensor) + " \n");
        print("tensor * tensor \n " + tensor.mul(tensor));

        print("tensor.matmul(tensor.T) \n " + tensor.matmul(tensor.T()) + " \n");
        print("tensor @ tensor.T \n " + tensor.matmul(tensor.T()));

        print(tensor, "\n");
        tensor.add_(5);
        print(tensor);
    }

    private void numpyBridge() {
        Tensor t = ones(5);
        print("t: " + t);
        NDArray n = t.numpy();
        print("n: " + n);

        t.add_(1);
        print("t: " + t);
        print("n: " + n);

        // n = np.ones(5); t = torch.from_numpy(n); np.add(n, 1, out=n)
        NDArray n2 = NDArray.ones(5);
        Tensor t2 = fromNumpy(n2);
        for (long i = 0; i < 5; i++) n2.setDouble(n2.getDouble(i) + 1, i);
        print("t: " + t2);
        print("n: " + n2);
    }

    private void autograd() {
        // model = resnet18(weights=ResNet18_Weights.DEFAULT). Without the torchvision checkpoint in the
        // torch.hub cache the seeded random initialisation is used; it draws the same random numbers,
        // so the rand() calls below see the same stream either way. This section prints nothing.
        dev.tessera.vision.ResNet18Weights weights = dev.tessera.vision.ResNet18Weights.DEFAULT;
        boolean pretrained = weights.isAvailable();
        if (!pretrained) {
            System.err.println("[tutorial] pretrained ResNet-18 file " + weights.path() + " is missing; using random (seeded) weights");
        }
        dev.tessera.nn.Module model = pretrained ? dev.tessera.vision.ResNet.resnet18(weights) : dev.tessera.vision.ResNet.resnet18();
        Tensor data = rand(1, 3, 64, 64);
        Tensor labels = rand(1, 1000);
        Tensor prediction = model.forward(data);                 // forward pass
        Tensor loss = prediction.sub(labels).sum();
        loss.backward();                                         // backward pass
        dev.tessera.optim.Optimizer optim = new dev.tessera.optim.SGD(model.parameters(), 1e-2, 0.9);
        optim.step();                                            // gradient descent

        Tensor a = tensor(new float[]{2f, 3f}).requiresGrad_(true);
        Tensor b = tensor(new float[]{6f, 4f}).requiresGrad_(true);
        Tensor q = a.pow(3).mul(3).sub(b.pow(2));
        Tensor externalGrad = tensor(new float[]{1f, 1f});
        q.backward(externalGrad);
        print(a.pow(2).mul(9).eq(a.grad()));
        print(b.mul(-2).eq(b.grad()));

        Tensor x = rand(5, 5);
        Tensor y = rand(5, 5);
        Tensor z = rand(5, 5).requiresGrad_(true);
        Tensor sum1 = x.add(y);
        print("Does `a` require gradients?: " + (sum1.requiresGrad() ? "True" : "False"));
        Tensor sum2 = x.add(z);
        print("Does `b` require gradients?: " + (sum2.requiresGrad() ? "True" : "False"));

        // Fine-tuning: freeze the network, replace the classifier fc, optimize only the classifier.
        model = pretrained ? dev.tessera.vision.ResNet.resnet18(weights) : dev.tessera.vision.ResNet.resnet18();
        for (Tensor param : model.parameters()) param.requiresGrad_(false);
        model.setSubmodule("fc", new dev.tessera.nn.Linear(512, 10));
        dev.tessera.optim.Optimizer optimizer = new dev.tessera.optim.SGD(model.parameters(), 1e-2, 0.9);
    }
}
