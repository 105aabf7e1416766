/**
 * Dense vectors kept as one contiguous Float32Array per matrix (row-major), so that scoring a
 * question is a single tight loop with no per-row allocation.
 */
export interface VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  readonly data: Float32Array;
}

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
  for (let r = 0, offset = 0; r < rows; r++, offset += dimension) {
    let dot = 0;
    for (let i = 0; i < dimension; i++) dot += data[offset + i]! * query[i]!;
    out[r] = dot;
  }
  return out;
}
