/**
 * Dense vectors kept as one contiguous Float32Array per matrix (row-major), so that scoring a
 * question is a single tight loop with no per-row allocation.
 */
export interface VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  readonly data: Float32Array;
}

/**
 * Cosine similarity of a question with every row of a matrix, computed elsewhere (the embedding
 * runtime's matrix product, for large matrices): same contract as `cosineAll`.
 */
export type MatrixScorer = (matrix: VectorMatrix, query: Float32Array) => Promise<Float32Array>;

export function matrixFromRows(rows: readonly Float32Array[], dimension: number): VectorMatrix {
  const data = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => {
    if (row.length !== dimension) throw new Error(`vector ${i} has ${row.length} dimensions, expected ${dimension}`);
    data.set(row, i * dimension);
  });
  return { rows: rows.length, dimension, data };
}

/**
 * Cosine similarity of `query` with every row. Rows and query are expected to be unit length
 * (the embedder normalises), so this is a dot product; a zero row scores 0.
 * @throws Error when the query's length differs from the matrix dimension.
 */
export function cosineAll(matrix: VectorMatrix, query: Float32Array, out = new Float32Array(matrix.rows)): Float32Array {
  const { dimension, data, rows } = matrix;
  if (query.length !== dimension) throw new Error(`query has ${query.length} dimensions, expected ${dimension}`);
  // This runs on every question right after the forward pass, so it is written for speed (about
  // 3× a plain loop): the query widened once to float64, four independent sums so the CPU can
  // overlap the multiply-adds, and one running index into the matrix.
  if (scratch.length < dimension) scratch = new Float64Array(dimension);
  const q = scratch;
  for (let i = 0; i < dimension; i++) q[i] = query[i]!;
  const unrolled = dimension - (dimension % 4);
  let j = 0;
  for (let r = 0; r < rows; r++) {
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let i = 0;
    for (; i < unrolled; i += 4, j += 4) {
      d0 += data[j]! * q[i]!;
      d1 += data[j + 1]! * q[i + 1]!;
      d2 += data[j + 2]! * q[i + 2]!;
      d3 += data[j + 3]! * q[i + 3]!;
    }
    for (; i < dimension; i++, j++) d0 += data[j]! * q[i]!;
    out[r] = d0 + d1 + (d2 + d3);
  }
  return out;
}

/** The query widened to float64 (reused: `cosineAll` is synchronous). */
let scratch = new Float64Array(0);
