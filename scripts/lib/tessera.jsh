// Imports of scripts/jshell (after JShell's default ones), so the prompt reads like Python's:
//   ones(2, 2).matmul(rand(2, 2))
import dev.tessera.*;
import dev.tessera.nn.*;
import dev.tessera.optim.*;
import dev.tessera.numpy.NDArray;
import static dev.tessera.Torch.*;
import static dev.tessera.Index.*;
