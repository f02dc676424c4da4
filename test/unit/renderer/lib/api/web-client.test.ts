import { describe, expect, it } from 'vitest';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../../../../shared/rpc/limits';
import { RpcClient } from '../../../../../shared/rpc/rpc-client';
import { checkMessageSize } from '../../../../../renderer/src/lib/api/web-client';

describe('checkMessageSize', () => {
  it('lets messages up to the limit through, counting UTF-8 bytes', () => {
    expect(() => checkMessageSize('{}')).not.toThrow();
    expect(() => checkMessageSize('a'.repeat(MAX_SOCKET_MESSAGE_BYTES))).not.toThrow();
    // 3 bytes each in UTF-8: one third of the limit in characters is exactly the limit in bytes.
    expect(() => checkMessageSize('€'.repeat(MAX_SOCKET_MESSAGE_BYTES / 4))).not.toThrow();
  });

  it('refuses a bigger one with BAD_INPUT naming its size and the limit, and the call fails with it', async () => {
    const text = 'a'.repeat(MAX_SOCKET_MESSAGE_BYTES + 1);
    const limit = MAX_SOCKET_MESSAGE_BYTES;
    expect(() => checkMessageSize(text)).toThrow(
      `The request is ${limit + 1} bytes; Transfer Studio accepts messages of at most ${limit} bytes (8 MiB).`,
    );
    const client = new RpcClient({ post: (message) => checkMessageSize(JSON.stringify(message)) });
    await expect(client.send('data.scan', { blob: text })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { limit: MAX_SOCKET_MESSAGE_BYTES },
    });
    expect(client.pendingCount).toBe(0);
  });
});
