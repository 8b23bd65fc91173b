import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { changeFeed } from '../../../../cli/ui/server/events';
import { until } from '../../../helpers/until';

/** Enough of a ServerResponse to collect what the feed writes. */
function fakeResponse() {
  const emitter = new EventEmitter();
  const response = Object.assign(emitter, {
    text: '',
    status: 0,
    headers: {} as Record<string, string>,
    ended: false,
    writeHead(status: number, headers: Record<string, string>) {
      response.status = status;
      response.headers = headers;
      return response;
    },
    write(chunk: string) {
      response.text += chunk;
      return true;
    },
    end() {
      response.ended = true;
    },
  });
  return response;
}

describe('changeFeed', () => {
  it('sends `change` when the state read differs from the last read, and nothing for a failed read', async () => {
    let state = 'a';
    let reads = 0;
    const feed = changeFeed(async () => {
      reads += 1;
      if (state === 'broken') throw new Error('stack restarting');
      return state;
    }, 5);
    const client = fakeResponse();
    try {
      feed.subscribe(client as unknown as ServerResponse);
      expect(client.status).toBe(200);
      expect(client.headers['Content-Type']).toBe('text/event-stream; charset=utf-8');
      await until('two reads', () => reads >= 2);
      expect(client.text).toBe(': connected\n\n');

      state = 'broken';
      const failedAt = reads;
      await until('a failed read', () => reads > failedAt + 1);
      expect(client.text).not.toContain('event: change');

      state = 'b';
      await until('a change', () => client.text.includes('event: change'));
      const [, data] = /event: change\ndata: (.*)\n\n/.exec(client.text)!;
      expect(new Date((JSON.parse(data) as { at: string }).at).toString()).not.toBe('Invalid Date');
      expect(client.text.match(/event: change/g)).toHaveLength(1);
    } finally {
      feed.close();
    }
    expect(client.ended).toBe(true);
  });
});
