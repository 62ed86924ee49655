// The one translation unit the build compiles: every kernel family in a single module, so one
// cuModuleLoadData loads them all (and one PTX image holds them for forward compatibility).
#include "elementwise.cu"
#include "reduce.cu"
#include "index.cu"
#include "conv_pool.cu"
#include "batch_norm.cu"
