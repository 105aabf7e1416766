/**
 * Settings of embedding models we know. Any other model works too: pass its hub id or folder
 * and, where its card says so, EMBEDDING_POOLING and EMBEDDING_QUERY_PREFIX.
 */
export interface ModelProfile {
  readonly pooling: 'cls' | 'mean';
  readonly queryPrefix: string;
  readonly dtype: string;
}

const RETRIEVAL_PREFIX = 'Represent this sentence for searching relevant passages: ';

export const KNOWN_MODELS: Readonly<Record<string, ModelProfile>> = {
  'Snowflake/snowflake-arctic-embed-xs': { pooling: 'cls', queryPrefix: RETRIEVAL_PREFIX, dtype: 'q8' },
  'Snowflake/snowflake-arctic-embed-s': { pooling: 'cls', queryPrefix: RETRIEVAL_PREFIX, dtype: 'q8' },
  'Snowflake/snowflake-arctic-embed-m-v1.5': { pooling: 'cls', queryPrefix: RETRIEVAL_PREFIX, dtype: 'q8' },
  'Xenova/bge-small-en-v1.5': { pooling: 'cls', queryPrefix: RETRIEVAL_PREFIX, dtype: 'q8' },
  'Xenova/bge-base-en-v1.5': { pooling: 'cls', queryPrefix: RETRIEVAL_PREFIX, dtype: 'q8' },
  'Xenova/all-MiniLM-L6-v2': { pooling: 'mean', queryPrefix: '', dtype: 'q8' },
  'Xenova/all-MiniLM-L12-v2': { pooling: 'mean', queryPrefix: '', dtype: 'q8' },
};

/** Fallback for models not in the table: mean pooling is the safe choice for sentence encoders. */
export const UNKNOWN_MODEL_PROFILE: ModelProfile = { pooling: 'mean', queryPrefix: '', dtype: 'q8' };

export interface ModelSettingsInput {
  readonly model: string;
  readonly dtype: string | undefined;
  readonly pooling: 'cls' | 'mean' | undefined;
  readonly queryPrefix: string | undefined;
}

/** The table's profile for `model` (matched by hub id or a folder's name), with explicit overrides applied. */
export function resolveModelSettings(input: ModelSettingsInput): ModelProfile & { readonly known: boolean } {
  const name = input.model.replace(/\/+$/, '');
  const entry = KNOWN_MODELS[name] ?? Object.entries(KNOWN_MODELS).find(([id]) => name.endsWith(`/${id.split('/')[1]}`))?.[1];
  const profile = entry ?? UNKNOWN_MODEL_PROFILE;
  return {
    known: entry !== undefined,
    pooling: input.pooling ?? profile.pooling,
    queryPrefix: input.queryPrefix ?? profile.queryPrefix,
    dtype: input.dtype ?? profile.dtype,
  };
}
