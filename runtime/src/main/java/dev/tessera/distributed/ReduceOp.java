package dev.tessera.distributed;

/**
 * torch.distributed.ReduceOp. AVG is SUM followed by a division by the world size, for
 * floating-point tensors only (PyTorch offers AVG only on NCCL, whose integer average truncates;
 * an integer AVG here is refused rather than silently rounded).
 */
public enum ReduceOp {
    SUM, AVG, MAX, MIN
}
