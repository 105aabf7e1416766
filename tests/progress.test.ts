import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { createProgressReporters } from '../src/progress.js';
import { startFakeHub } from './support/fake-hub.js';
import { memoryLogger, tempDir, testModelEnv } from './support/service.js';

let modelDir: string;
beforeAll(async () => {
  modelDir = (await testModelEnv()).EMBEDDING_MODEL!;
});

/** A terminal stand-in that keeps what was written. */
function terminal(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function downloadWith(reporters: ReturnType<typeof createProgressReporters>) {
  const hub = await startFakeHub({ models: { 'test-org/model': modelDir } });
  try {
    await createTransformersEmbedder({
      model: 'test-org/model',
      dtype: 'fp32',
      pooling: 'mean',
      queryPrefix: '',
      cacheDir: await tempDir(),
      remoteHost: hub.url,
      timeoutMs: 30_000,
      onProgress: reporters.download,
    });
  } finally {
    await hub.close();
  }
}

describe('first model download', () => {
  it('draws a progress bar with file, bytes and percent on a terminal', async () => {
    const out = terminal(true);
    await downloadWith(createProgressReporters(memoryLogger(), out.stream));
    const finalFrame = out.text().split('\r').find((frame) => frame.includes('onnx/model.onnx') && frame.includes('100%'));
    expect(finalFrame).toMatch(/Downloading onnx\/model\.onnx \[#{24}\] 100% \d+\.\d MB \/ \d+\.\d MB/);
  });

  it('writes plain log lines when not on a terminal', async () => {
    const out = terminal(false);
    const logger = memoryLogger();
    await downloadWith(createProgressReporters(logger, out.stream));
    expect(out.text()).toBe('');
    const lines = logger.lines.filter((l) => l.includes('onnx/model.onnx'));
    expect(lines[0]).toMatch(/INFO {2}Downloading model file .*file=onnx\/model\.onnx/);
    expect(lines.some((l) => /percent=(25|50|75)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/Downloaded model file file=onnx\/model\.onnx/);
  });
});
