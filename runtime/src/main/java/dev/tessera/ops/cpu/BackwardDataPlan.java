package dev.tessera.ops.cpu;

/**
 * Index tables for backward-data as a direct convolution of the output gradient. With stride s,
 * input pixel iy = ry + s * qy receives gradient from taps ky with (ry + pad - ky * dil) divisible
 * by s, at gradient row (ry + pad - ky * dil) / s + qy: for a fixed phase (ry, rx) that is a
 * stride-1 correlation over the gradient, whose taps are fixed. The gradient is reordered with a
 * zero border wide enough for every phase's reads ({@link #top}, {@link #left}, plane
 * {@link #hq} x {@link #wq}); weights are stored with reversed taps (see
 * {@link BlockedLayout#weightsBackwardData}), so that at stride 1 a kernel row is one run.
 */
final class BackwardDataPlan {
    private static final int B = DirectConvKernels.B, TILE = DirectConvKernels.TILE;

    int top, left, hq, wq, tiles;
    /** Images whose pixels one run of tiles covers: 1, or all of them when an image's phases leave tiles part-filled. */
    int groupImages;
    DirectConv.Runs runs;
    /** Phase p's runs are runs[runFrom[p], runFrom[p + 1]). */
    int[] runFrom;
    /**
     * Per tile slot: source pixel offset in the blocked gradient, destination offset in the blocked
     * input gradient, both from the group's first image (a tile may span two images).
     */
    int[] pix, dpix;
    int[] tilePhase;

    private BackwardDataPlan() {}

    /** @param obs, cbs blocks of output and input channels in the blocked buffers (sizes of one image there) */
    static BackwardDataPlan of(DirectConvShape g, int obs, int cbs) {
        int sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw(), dh = g.dh(), dw = g.dw(), kh = g.kh(), kw = g.kw();
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow();
        // border: the extreme gradient rows and columns any phase reads
        int minY = 0, maxY = oh - 1, minX = 0, maxX = ow - 1;
        for (int ry = 0; ry < Math.min(sh, h); ry++) {
            int nq = (h - ry + sh - 1) / sh;
            for (int ky = 0; ky < kh; ky++) {
                if (Math.floorMod(ry + ph - ky * dh, sh) != 0) continue;
                int t = Math.floorDiv(ry + ph - ky * dh, sh);
                minY = Math.min(minY, t);
                maxY = Math.max(maxY, t + nq - 1);
            }
        }
        for (int rx = 0; rx < Math.min(sw, w); rx++) {
            int nq = (w - rx + sw - 1) / sw;
            for (int kx = 0; kx < kw; kx++) {
                if (Math.floorMod(rx + pw - kx * dw, sw) != 0) continue;
                int t = Math.floorDiv(rx + pw - kx * dw, sw);
                minX = Math.min(minX, t);
                maxX = Math.max(maxX, t + nq - 1);
            }
        }
        BackwardDataPlan p = new BackwardDataPlan();
        p.top = -minY;
        p.left = -minX;
        p.hq = maxY - minY + 1;
        p.wq = maxX - minX + 1;
        boolean rowRuns = sw == 1 && dw == 1;
        int phases = sh * sw;
        int[] src = new int[phases * kh * kw], wo = new int[src.length];
        p.runFrom = new int[phases + 1];
        int count = 0;
        int[] phasePixels = new int[phases];
        boolean whole = true; // every phase of one image fills whole tiles
        for (int ry = 0; ry < sh; ry++) {
            for (int rx = 0; rx < sw; rx++) {
                int phase = ry * sw + rx;
                p.runFrom[phase] = count;
                int nqy = ry < h ? (h - ry + sh - 1) / sh : 0, nqx = rx < w ? (w - rx + sw - 1) / sw : 0;
                phasePixels[phase] = nqy * nqx;
                whole &= phasePixels[phase] % TILE == 0;
                for (int ky = 0; ky < kh; ky++) {
                    if (Math.floorMod(ry + ph - ky * dh, sh) != 0) continue;
                    int ty = Math.floorDiv(ry + ph - ky * dh, sh) + p.top;
                    if (rowRuns) {
                        // kx = kw-1 .. 0 walks the gradient row forward and the reversed taps too
                        int tx = rx + pw - (kw - 1) + p.left;
                        src[count] = (ty * p.wq + tx) * B;
                        wo[count++] = (kh - 1 - ky) * kw * B * B;
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        if (Math.floorMod(rx + pw - kx * dw, sw) != 0) continue;
                        int tx = Math.floorDiv(rx + pw - kx * dw, sw) + p.left;
                        src[count] = (ty * p.wq + tx) * B;
                        wo[count++] = ((kh - 1 - ky) * kw + kw - 1 - kx) * B * B;
                    }
                }
            }
        }
        p.runFrom[phases] = count;
        p.runs = new DirectConv.Runs(src, wo, count, rowRuns ? kw * B : B);
        // as in forward: 7-pixel tiles over all images' pixels of a phase when one image's leave a
        // tile part-filled (stride 2 at a 7x7 input: phases of 16, 12, 12 and 9 pixels)
        int images = whole ? 1 : g.n(), imageSrc = obs * p.hq * p.wq * B, imageDst = cbs * h * w * B;
        p.groupImages = images;
        int tiles = 0;
        int[] phaseTiles = new int[phases];
        for (int phase = 0; phase < phases; phase++) {
            phaseTiles[phase] = (images * phasePixels[phase] + TILE - 1) / TILE;
            tiles += phaseTiles[phase];
        }
        p.tiles = tiles;
        p.pix = new int[tiles * TILE];
        p.dpix = new int[tiles * TILE];
        p.tilePhase = new int[tiles];
        int t0 = 0;
        for (int ry = 0; ry < sh; ry++) {
            for (int rx = 0; rx < sw; rx++) {
                int phase = ry * sw + rx;
                int nqx = rx < w ? (w - rx + sw - 1) / sw : 0;
                int perImage = phasePixels[phase], pixels = images * perImage;
                for (int i = 0; i < phaseTiles[phase] * TILE; i++) {
                    int q = Math.min(i, pixels - 1), img = q / perImage, r = q % perImage; // the tail repeats the last pixel
                    int qy = r / nqx, qx = r % nqx;
                    p.pix[t0 * TILE + i] = img * imageSrc + (qy * p.wq + qx) * B;
                    p.dpix[t0 * TILE + i] = img * imageDst + ((ry + qy * sh) * w + rx + qx * sw) * B;
                }
                for (int i = 0; i < phaseTiles[phase]; i++) {
                    p.tilePhase[t0 + i] = phase;
                }
                t0 += phaseTiles[phase];
            }
        }
        return p;
    }
}
